import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSafetensorsHeader } from '@openmind-ssl/core';
import { generateSyntheticOpenMind, preprocessDataset } from '@openmind-ssl/data';
import { beforeAll, describe, expect, it } from 'vitest';

// Contract v2 end to end: the two-view example plugin (two views from its own view sampler module, a class
// target, an EMA teacher, a report panel) loaded with --plugin and trained by the CLI, with a data worker.
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'src', 'bin', 'openmind.ts');

let store = '';
beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'om-cli-two-view-'));
  await generateSyntheticOpenMind({ out: root, subjects: 3, seed: 4, sizeMm: 32 });
  store = (await preprocessDataset({ input: root, out: join(root, 'preprocessed'), workers: 0 })).dataDir;
}, 300_000);

describe('openmind pretrain --plugin @openmind-ssl/example-ssl-two-view', () => {
  it('should train the two-view method with its view sampler in a worker, save the teacher and write its report panel', async () => {
    const out = mkdtempSync(join(tmpdir(), 'om-cli-two-view-run-'));
    const args = [
      'pretrain', '--plugin', '@openmind-ssl/example-ssl-two-view', '--method', 'two-view', '--data', store, '--out', out,
      '--backend', 'onnxruntime', '--arch', 'resenc-tiny', '--patch-size', '16', '--batch-size', '2', '--workers', '1',
      '--epochs', '1', '--iterations', '2', '--val-iterations', '0', '--method-config', '{"momentum":0.9}',
    ];
    const r = spawnSync(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', bin, ...args], { cwd: repo, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('pretrain: two-view on resenc-tiny');
    const steps = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { loss: number });
    expect(steps).toHaveLength(2);
    expect(steps.every((s) => Number.isFinite(s.loss))).toBe(true);
    // The checkpoint holds student, turn head and EMA teacher.
    const header = await readSafetensorsHeader(join(out, 'checkpoints', 'step-00000002', 'model.safetensors'));
    const names = header.entries.map((e) => e.name);
    for (const prefix of ['student.backbone.', 'student.projector.', 'head.', 'teacher.backbone.', 'teacher.projector.']) {
      expect(names.some((n) => n.startsWith(prefix)), prefix).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).methodConfig).toEqual({ momentum: 0.9 });
    // The report: the loss chart and the method's confusion-matrix panel before and after training.
    const page = readFileSync(join(out, 'report', 'index.html'), 'utf8');
    expect(page).toContain('<img src="loss.svg"');
    expect(readFileSync(join(out, 'report', 'loss.svg'), 'utf8')).toContain('<svg');
    expect(page).toContain('<h2>Turn confusion matrix before training</h2>');
    expect(page).toContain('<h2>Turn confusion matrix after training</h2>');
    expect(page).toContain('<img src="end-panel-1.svg"');
    expect(existsSync(join(out, 'report', 'start-panel-1.svg'))).toBe(true);
  }, 300_000);
});
