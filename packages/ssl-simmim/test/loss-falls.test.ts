import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { primusFactory } from '@openmind-ssl/arch-primus';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { createSslMethod, Rng, setBackend, Trainer } from '@openmind-ssl/core';
import { syntheticBatches } from '@openmind-ssl/testing';
import { expect, it } from 'vitest';
import { simmimFactory } from '../src/index.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// A short SimMIM pre-training of primus-tiny at 32³ (64 tokens, 48 masked) on ONNX Runtime: 16 steps of 2
// samples at the peak rate. Threshold: the mean loss of the last 4 steps is below 0.8× that of the first 4.
it('should lower the masked-token loss of primus-tiny within 16 steps at 32³ on onnxruntime', async () => {
  const backend = new OnnxRuntimeBackend({ spinning: false });
  await backend.init();
  setBackend(backend);
  const method = createSslMethod(simmimFactory, {
    config: { warmupEpochs: 0, lr: 1e-3 }, architecture: primusFactory, preset: 'primus-tiny', inChannels: 1, patchSize: [32, 32, 32], rng: new Rng(1),
  });
  const losses: number[] = [];
  try {
    await new Trainer({
      method, train: syntheticBatches(1, 2, [32, 32, 32]), epochs: 1, iterationsPerEpoch: 16,
      runDir: mkdtempSync(join(tmpdir(), 'om-simmim-')), seed: 1, onEvent: (e) => e.type === 'step' && losses.push(e.loss),
    }).run();
  } finally {
    await backend.close();
  }
  expect(losses.every(Number.isFinite)).toBe(true);
  expect(mean(losses.slice(-4))).toBeLessThan(0.8 * mean(losses.slice(0, 4)));
}, 300_000);
