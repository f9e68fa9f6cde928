import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { type ArchitectureFactory, createSslMethod, type HostBatch, noGrad, Rng, setBackend, type SSLMethod, tidy, Trainer } from '@openmind-ssl/core';
import { syntheticBatches } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { volumeFusionFactory } from '../src/index.js';

const patch = [32, 32, 32] as const;

/** Mean loss over fixed evaluation batches with fixed fusions, the network in eval mode. */
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
  const method = createSslMethod(volumeFusionFactory, { config, architecture, preset, inChannels: 1, patchSize: patch, rng: new Rng(1) });
  const evaluation: HostBatch[] = [];
  const source = syntheticBatches(99, 4, patch).batches(0);
  for (let i = 0; i < 3; i++) evaluation.push((await source.next()).value!);
  const losses: number[] = [];
  try {
    const before = await fixedLoss(method, evaluation);
    await new Trainer({
      method, train: syntheticBatches(1, 4, patch), epochs: 1, iterationsPerEpoch: steps,
      runDir: mkdtempSync(join(tmpdir(), 'om-vf-')), seed: 1, onEvent: (e) => e.type === 'step' && losses.push(e.loss),
    }).run();
    return { before, after: await fixedLoss(method, evaluation), losses };
  } finally {
    await backend.close();
  }
}

// Short VolumeFusion pre-trainings at 32³ on ONNX Runtime: 4 images a step (2 fused pairs, host-side
// fusion), nnssl's fusion settings (10–39 boxes, 8–20 voxels a side at 32³), the loss measured on 3 fixed
// evaluation batches with fixed fusions before and after training. Measured: resenc-tiny 1.63 → 1.18
// (0.73×), primus-tiny 1.68 → 1.40 (0.83×); thresholds 0.8× and 0.9×.
describe('VolumeFusion pre-training lowers the CE + Dice loss at 32³ on onnxruntime', () => {
  it('should fall below 0.8× its start within 24 steps on resenc-tiny (SGD lr 1e-2, momentum 0.9)', async () => {
    const { before, after, losses } = await run(resencFactory, 'resenc-tiny', { lr: 1e-2, momentum: 0.9 }, 24);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(after).toBeLessThan(0.8 * before);
  }, 300_000);

  it('should fall below 0.9× its start within 24 steps on primus-tiny (AdamW lr 1e-3, no warm-up)', async () => {
    const { before, after, losses } = await run(primusFactory, 'primus-tiny', { lr: 1e-3, warmupEpochs: 0 }, 24);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(after).toBeLessThan(0.9 * before);
  }, 300_000);
});
