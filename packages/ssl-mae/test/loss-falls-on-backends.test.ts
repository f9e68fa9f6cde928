import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { createTfjsBackend } from '@openmind-ssl/backend-tfjs';
import { createWebGpuBackend, probeWebGpu } from '@openmind-ssl/backend-webgpu';
import { type Backend, createSslMethod, Rng, setBackend, Trainer } from '@openmind-ssl/core';
import { requireReference, syntheticBatches } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { maeFactory } from '../src/index.js';

/**
 * A short MAE pre-training of resenc-tiny (8³ patches, 4³ mask cells, lr 0.05, 24 steps) on each backend.
 * Threshold: the mean masked-voxel loss of the last 6 steps is below 0.85 × that of the first 6.
 */
async function run(backend: Backend): Promise<number[]> {
  await backend.init();
  setBackend(backend);
  const method = createSslMethod(maeFactory, {
    config: { blockSize: 4, lr: 5e-2 }, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: [8, 8, 8], rng: new Rng(1),
  });
  const losses: number[] = [];
  await new Trainer({
    method, train: syntheticBatches(1, 2, [8, 8, 8]), epochs: 1, iterationsPerEpoch: 24,
    runDir: mkdtempSync(join(tmpdir(), `om-mae-${backend.name}-`)), seed: 1,
    onEvent: (e) => e.type === 'step' && losses.push(e.loss),
  }).run();
  await backend.close();
  return losses;
}

const probe = await probeWebGpu();
const webgpu = requireReference('a WebGPU adapter', probe.available ? undefined : probe.reason);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('MAE pre-training lowers the masked-voxel loss', () => {
  for (const [name, create] of [
    ['onnxruntime', () => new OnnxRuntimeBackend()],
    ['tfjs', () => createTfjsBackend()],
  ] as const) {
    it(`should fall below 0.85× its start within 24 steps on ${name}`, async () => {
      const losses = await run(create());
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(mean(losses.slice(-6))).toBeLessThan(0.85 * mean(losses.slice(0, 6)));
    }, 300_000);
  }

  it.skipIf(!webgpu)('should fall below 0.85× its start within 24 steps on webgpu', async () => {
    const losses = await run(createWebGpuBackend());
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(mean(losses.slice(-6))).toBeLessThan(0.85 * mean(losses.slice(0, 6)));
  }, 600_000);
});
