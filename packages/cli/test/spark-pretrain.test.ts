import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSyntheticOpenMind, preprocessDataset } from '@openmind-ssl/data';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'src', 'bin', 'openmind.ts');

function openmind(args: string[]) {
  const r = spawnSync(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', bin, ...args], { cwd: repo, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function losses(runDir: string): Map<number, number> {
  const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
  return new Map(lines.map((l) => JSON.parse(l) as { step: number; loss: number }).map((r) => [r.step, r.loss]));
}

let store = '';
beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'om-cli-spark-'));
  await generateSyntheticOpenMind({ out: root, subjects: 3, seed: 4, sizeMm: 32 });
  store = (await preprocessDataset({ input: root, out: join(root, 'preprocessed'), workers: 0 })).dataDir;
}, 300_000);

const tiny = ['--backend', 'onnxruntime', '--arch', 'resenc-tiny', '--patch-size', '16', '--workers', '1', '--batch-size', '2', '--method-config', '{"blockSize":4}'];

describe('openmind pretrain --method spark', () => {
  const full = mkdtempSync(join(tmpdir(), 'om-cli-spark-run-'));

  it('should pre-train, save checkpoints and the ResEnc adaptation plan, and preview its reconstructions', () => {
    const r = openmind(['pretrain', '--data', store, '--out', full, '--method', 'spark', '--epochs', '2', '--iterations', '2', '--checkpoint-every', '2', ...tiny]);
    expect(r.code, r.err).toBe(0);
    const l = losses(full);
    expect([...l.keys()]).toEqual([1, 2, 3, 4]);
    expect([...l.values()].every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(existsSync(join(full, 'checkpoints', 'step-00000004', 'model.safetensors'))).toBe(true);
    const plan = JSON.parse(readFileSync(join(full, 'adaptation_plan.json'), 'utf8'));
    expect([plan.key_to_encoder, plan.key_to_stem]).toEqual(['encoder.stages', 'encoder.stem']);
    for (const f of ['start-corrupted.png', 'end-reconstruction.png']) expect(existsSync(join(full, 'report', f))).toBe(true);
  }, 300_000);

  it('should resume from a checkpoint and repeat the same losses (mask tokens and projections restored)', () => {
    // The same run cut after step 2: its step-4 checkpoint and the last two metric lines removed.
    const cut = mkdtempSync(join(tmpdir(), 'om-cli-spark-cut-'));
    cpSync(full, cut, { recursive: true });
    rmSync(join(cut, 'checkpoints', 'step-00000004'), { recursive: true });
    const lines = readFileSync(join(cut, 'metrics.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(join(cut, 'metrics.jsonl'), `${lines.slice(0, 2).join('\n')}\n`);
    const r = openmind(['pretrain', '--data', store, '--out', cut, '--method', 'spark', '--epochs', '2', '--iterations', '2', '--checkpoint-every', '2', '--no-report', '--resume', ...tiny]);
    expect(r.code, r.err).toBe(0);
    expect(`${r.out}${r.err}`).toMatch(/resuming from \S*step-00000002 \(step 2\)/);
    const expected = losses(full);
    const resumed = losses(cut);
    expect([...resumed.keys()]).toEqual([1, 2, 3, 4]);
    for (const step of [3, 4]) expect(resumed.get(step), `step ${step}`).toBeCloseTo(expected.get(step)!, 5);
  }, 300_000);
});
