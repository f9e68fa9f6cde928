import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { type ArchitectureFactory, createSslMethod, type HostBatch, noGrad, Rng, setBackend, type SSLMethod, tidy, Trainer } from '@openmind-ssl/core';
import { syntheticBatches } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { modelsGenesisFactory } from '../src/index.js';

/** Mean loss over fixed evaluation pairs (batch, corruption seed), with the network in eval mode. */
async function fixedLoss(method: SSLMethod, batches: HostBatch[]): Promise<number> {
  method.network.eval();
  let total = 0;
  for (const [i, b] of batches.entries()) total += await noGrad(() => tidy(() => method.loss(b, new Rng([77, i])))).item();
  method.network.train();
  return total / batches.length;
}

async function run(architecture: ArchitectureFactory, preset: string, config: Record<string, unknown>, steps: number): Promise<{ before: number; after: number; losses: number[] }> {
  const backend = new OnnxRuntimeBackend({ spinning: false });
  await backend.init();
  setBackend(backend);
  const method = createSslMethod(modelsGenesisFactory, { config, architecture, preset, inChannels: 1, patchSize: [32, 32, 32], rng: new Rng(1) });
  const losses: number[] = [];
  const evaluation: HostBatch[] = [];
  const source = syntheticBatches(99, 2, [32, 32, 32]).batches(0);
  for (let i = 0; i < 4; i++) evaluation.push((await source.next()).value!);
  const before = await fixedLoss(method, evaluation);
  try {
    await new Trainer({
      method, train: syntheticBatches(1, 2, [32, 32, 32]), epochs: 1, iterationsPerEpoch: steps,
      runDir: mkdtempSync(join(tmpdir(), 'om-genesis-')), seed: 1, onEvent: (e) => e.type === 'step' && losses.push(e.loss),
    }).run();
    return { before, after: await fixedLoss(method, evaluation), losses };
  } finally {
    await backend.close();
  }
}

// Short Models Genesis pre-trainings at 32³ on ONNX Runtime (2 samples a step, corruption drawn on the host,
// nnssl's rates). The per-step loss swings with the corruption drawn (an out-painted or inverted sample is far
// harder than a shuffled one), so the loss is measured on 4 fixed evaluation batches with fixed corruptions
// (each drawn from its own seeded generator, so they follow the stated rates), before and after training.
// Measured: primus-tiny 1.63 → 1.20 (0.74×, threshold 0.8×); resenc-tiny with nnssl's SGD recipe
// 0.754 → 0.645 (0.86×, threshold 0.9×).
describe('Models Genesis pre-training lowers the restoration MSE at 32³ on onnxruntime', () => {
  it('should fall within 16 steps on primus-tiny (lr 1e-3, no warm-up)', async () => {
    const { before, after, losses } = await run(primusFactory, 'primus-tiny', { lr: 1e-3, warmupEpochs: 0 }, 16);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(after).toBeLessThan(0.8 * before);
  }, 300_000);

  it('should fall within 24 steps on resenc-tiny (nnssl recipe: SGD lr 1e-2, momentum 0.99, Nesterov)', async () => {
    const { before, after, losses } = await run(resencFactory, 'resenc-tiny', {}, 24);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(after).toBeLessThan(0.9 * before);
  }, 300_000);
});
