import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'src', 'bin', 'openmind.ts');

function openmind(args: string[]) {
  const r = spawnSync(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', bin, ...args], { cwd: repo, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('openmind finetune --task classification', () => {
  it('synthesises a classification dataset, cross-validates a from-scratch classifier and writes the summaries and the ensemble predictions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-cli-cls-'));
    const data = join(dir, 'data');
    const synth = openmind(['data', 'synth', '--task', 'classification', '--out', data, '--cases', '6', '--size', '14']);
    expect(synth.err).toContain('6 classification cases');
    expect(synth.code).toBe(0);
    expect(readFileSync(join(data, 'labels.csv'), 'utf8').trim().split('\n')).toHaveLength(7);
    const out = join(dir, 'run');
    const r = openmind(['finetune', '--task', 'classification', '--data', data, '--arch', 'resenc-tiny', '--backend', 'onnxruntime', '--crop', '16', '--epochs', '1', '--warmup', '0', '--folds', '2', '--out', out]);
    expect(r.err).toMatch(/fold 1 epoch 0: loss/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { folds: number; metrics: Record<string, { mean: number; sd: number }> };
    expect(summary.folds).toBe(2);
    expect(Object.keys(summary.metrics)).toContain('balancedAccuracyReference');
    expect(existsSync(join(out, 'fold-1', 'history.json'))).toBe(true);
    const predictions = readFileSync(join(out, 'predictions.csv'), 'utf8').trim().split('\n');
    expect(predictions[0]).toBe('case,anterior-posterior,left-right');
    expect(predictions).toHaveLength(7);
  }, 300_000);

  it('refuses an unknown task and a bad option value, naming them', () => {
    expect(openmind(['finetune', '--task', 'detection', '--data', 'x']).err).toMatch(/--task must be 'segmentation' or 'classification', got 'detection'/);
    const bad = openmind(['finetune', '--task', 'classification', '--data', 'x', '--finetune', 'partial', '--backend', 'onnxruntime']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/finetune --task classification: finetune:/);
  });
});
