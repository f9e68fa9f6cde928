import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  latestCheckpoint, readCheckpoint, restoreCheckpoint, setBackend, Trainer, type TrainerEvent,
} from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../reference/reference-backend.js';
import { ToyDenoisingMethod, toyBatches } from './toy-method.js';

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, 'toy-train-script.ts');
const nodeArgs = ['--conditions=@openmind-ssl/source', '--import', 'tsx', script];

function losses(runDir: string): Map<number, number> {
  const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
  return new Map(lines.map((l) => JSON.parse(l) as { step: number; loss: number }).map((r) => [r.step, r.loss]));
}

describe('Trainer', () => {
  it('should continue the same loss curve after SIGKILL and --resume as an uninterrupted run', async () => {
    const full = mkdtempSync(join(tmpdir(), 'om-full-'));
    expect(spawnSync(process.execPath, [...nodeArgs, full, '4', '0'], { cwd: here }).status).toBe(0);
    const reference = losses(full);
    expect(reference.size).toBe(16);

    const killed = mkdtempSync(join(tmpdir(), 'om-kill-'));
    const child = spawn(process.execPath, [...nodeArgs, killed, '4', '0', '150'], { cwd: here, stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const log = join(killed, 'metrics.jsonl');
        if (existsSync(log) && readFileSync(log, 'utf8').trim().split('\n').length >= 7) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
    });
    await new Promise((r) => child.once('exit', r));
    const partial = losses(killed);
    expect(partial.size).toBeLessThan(16);

    expect(spawnSync(process.execPath, [...nodeArgs, killed, '4', '1'], { cwd: here }).status).toBe(0);
    const resumed = losses(killed);
    expect([...resumed.keys()]).toEqual([...reference.keys()]);
    for (const [step, loss] of reference) expect(resumed.get(step), `step ${step}`).toBeCloseTo(loss, 6);
  }, 120_000);

  it('should emit start, step, epoch, checkpoint and done events and keep the last two checkpoints', async () => {
    setBackend(new ReferenceBackend());
    const runDir = mkdtempSync(join(tmpdir(), 'om-ev-'));
    const events: TrainerEvent['type'][] = [];
    const trainer = new Trainer({
      method: new ToyDenoisingMethod(2), train: toyBatches(1), epochs: 3, iterationsPerEpoch: 2, runDir, seed: 1,
      onEvent: (e) => events.push(e.type),
    });
    const { metrics } = await trainer.run();
    expect(events[0]).toBe('start');
    expect(events.filter((t) => t === 'step')).toHaveLength(6);
    expect(events.filter((t) => t === 'epoch')).toHaveLength(3);
    expect(events.at(-1)).toBe('done');
    expect(metrics.trainLoss).toHaveLength(3);
    expect(readdirSync(join(runDir, 'checkpoints')).sort()).toEqual(['step-00000004', 'step-00000006']);
    expect(JSON.parse(readFileSync(join(runDir, 'adaptation_plan.json'), 'utf8')).key_to_encoder).toBe('conv1');
  });

  it('should skip a step whose loss is not finite and count it', async () => {
    setBackend(new ReferenceBackend());
    const method = new ToyDenoisingMethod(3);
    const before = await Promise.all(method.network.parameters().map((p) => p.data()));
    const nans: number[] = [];
    const runDir = mkdtempSync(join(tmpdir(), 'om-nan-'));
    const poisoned = {
      async *batches() {
        for (;;) yield { image: new Float32Array(1024).fill(NaN), shape: [2, 1, 8, 8, 8] as const };
      },
    };
    const trainer = new Trainer({
      method, train: poisoned, epochs: 1, iterationsPerEpoch: 3, runDir, seed: 1, maxNanPerEpoch: 5,
      onEvent: (e) => e.type === 'nan' && nans.push(e.countThisEpoch),
    });
    await trainer.run();
    expect(nans).toEqual([1, 2, 3]);
    const after = await Promise.all(method.network.parameters().map((p) => p.data()));
    expect(after).toEqual(before);
  });

  it('should abort when non-finite losses exceed the limit of an epoch', async () => {
    setBackend(new ReferenceBackend());
    const poisoned = {
      async *batches() {
        for (;;) yield { image: new Float32Array(1024).fill(Infinity), shape: [2, 1, 8, 8, 8] as const };
      },
    };
    const trainer = new Trainer({
      method: new ToyDenoisingMethod(3), train: poisoned, epochs: 1, iterationsPerEpoch: 5,
      runDir: mkdtempSync(join(tmpdir(), 'om-nan2-')), seed: 1, maxNanPerEpoch: 2,
    });
    await expect(trainer.run()).rejects.toThrow(/more than 2 non-finite losses in epoch 0/);
  });
});

describe('checkpoints', () => {
  it('should refuse a truncated checkpoint with a clear error and leave the model untouched', async () => {
    setBackend(new ReferenceBackend());
    const runDir = mkdtempSync(join(tmpdir(), 'om-trunc-'));
    await new Trainer({ method: new ToyDenoisingMethod(4), train: toyBatches(2), epochs: 1, iterationsPerEpoch: 2, runDir, seed: 3 }).run();
    const dir = (await latestCheckpoint(join(runDir, 'checkpoints')))!;
    const weights = join(dir, 'model.safetensors');
    const bytes = readFileSync(weights);
    writeFileSync(weights, bytes.subarray(0, bytes.length - 100));
    const fresh = new ToyDenoisingMethod(9);
    const before = await Promise.all(fresh.network.parameters().map((p) => p.data()));
    await expect(readCheckpoint(dir)).rejects.toThrow(/model\.safetensors: truncated safetensors file: data needs \d+ bytes, file has \d+/);
    const after = await Promise.all(fresh.network.parameters().map((p) => p.data()));
    expect(after).toEqual(before);
  });

  it('should refuse a checkpoint whose header is garbage', async () => {
    setBackend(new ReferenceBackend());
    const runDir = mkdtempSync(join(tmpdir(), 'om-garb-'));
    await new Trainer({ method: new ToyDenoisingMethod(4), train: toyBatches(2), epochs: 1, iterationsPerEpoch: 2, runDir, seed: 3 }).run();
    const dir = (await latestCheckpoint(join(runDir, 'checkpoints')))!;
    const weights = join(dir, 'model.safetensors');
    const bytes = readFileSync(weights);
    bytes.fill(0x7b, 8, 40);
    writeFileSync(weights, bytes);
    await expect(readCheckpoint(dir)).rejects.toThrow(/model\.safetensors: safetensors header is not valid JSON/);
  });

  it('should restore weights and optimizer state exactly', async () => {
    setBackend(new ReferenceBackend());
    const runDir = mkdtempSync(join(tmpdir(), 'om-rt-'));
    const method = new ToyDenoisingMethod(4);
    await new Trainer({ method, train: toyBatches(2), epochs: 1, iterationsPerEpoch: 3, runDir, seed: 3 }).run();
    const ckpt = await readCheckpoint((await latestCheckpoint(join(runDir, 'checkpoints')))!);
    const copy = new ToyDenoisingMethod(8);
    const recipe = copy.recipe({ epochs: 1 });
    restoreCheckpoint(ckpt, copy.network, recipe.optimizer);
    for (const [k, t] of method.network.stateDict()) expect(await copy.network.stateDict().get(k)!.data()).toEqual(await t.data());
    expect(recipe.optimizer.stepCount).toBe(3);
    expect(recipe.optimizer.stateDict().buffers.size).toBe(copy.network.parameters().length);
  });
});
