import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { type ArchitectureFactory, createSslMethod, type HostBatch, noGrad, Rng, setBackend, tidy, Trainer } from '@openmind-ssl/core';
import { syntheticBatches } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { swinunetrFactory } from '../src/index.js';

/**
 * A short pre-training on ONNX Runtime: 20 steps on one synthetic batch of 4 (16³), each step with fresh
 * rotations and cutouts. The step losses are too noisy to compare (random rotation labels and cutouts
 * swing them by 2×), so the loss is measured on the same batch with the same views (a fixed rng) before and
 * after training. Threshold: after < 0.8 × before.
 */
describe('SwinUNETR pre-training lowers the loss', () => {
  for (const [name, factory, preset, config] of [
    ['resenc', resencFactory, 'resenc-tiny', { lr: 3e-3, momentum: 0.9 }],
    ['primus', primusFactory, 'primus-tiny', { lr: 1e-3, warmupEpochs: 0 }],
  ] as [string, ArchitectureFactory, string, Record<string, unknown>][]) {
    it(`should lower the loss of fixed views below 0.8× within 20 steps on ${name}`, async () => {
      const backend = new OnnxRuntimeBackend({ spinning: false });
      await backend.init();
      setBackend(backend);
      try {
        const method = createSslMethod(swinunetrFactory, { config: { contrastDim: 32, ...config }, architecture: factory, preset, inChannels: 1, patchSize: [16, 16, 16], rng: new Rng(1) });
        const batch: HostBatch = (await syntheticBatches(1, 4, [16, 16, 16]).batches(0).next()).value!;
        const measure = async () => {
          method.network.eval();
          const l = noGrad(() => tidy(() => method.loss(batch, new Rng(77))));
          const v = await l.item();
          l.dispose();
          method.network.train();
          return v;
        };
        const before = await measure();
        await new Trainer({
          method, train: { async *batches() { for (;;) yield batch; } }, epochs: 1, iterationsPerEpoch: 20,
          runDir: mkdtempSync(join(tmpdir(), `om-swin-${name}-`)), seed: 1,
        }).run();
        const after = await measure();
        expect(Number.isFinite(after)).toBe(true);
        expect(after).toBeLessThan(0.8 * before);
      } finally {
        await backend.close();
      }
    }, 300_000);
  }
});
