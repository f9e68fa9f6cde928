import primusPlugin from '@openmind-ssl/arch-primus';
import resencPlugin from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { type ConformanceBatches, describeSslPluginConformance as describeConformance, syntheticBatches } from '@openmind-ssl/testing';
import swinunetrPlugin from '../src/index.js';

/** One synthetic 16³ batch of 4 for every step; the method draws new rotations and cutouts each step. */
function oneBatch(seed: number, batchSize: number, patch: readonly [number, number, number]): ConformanceBatches {
  return {
    async *batches() {
      const batch = (await syntheticBatches(seed, batchSize, patch).batches(0).next()).value!;
      for (;;) yield batch;
    },
  };
}

// The plugin conformance suite on both architectures, on ONNX Runtime, with one synthetic batch (single
// view: the method makes its two views itself). Step losses swing by 2× with the random rotation labels
// and cutouts of each step, so the suite's fall check is run at 0.95× here; test/loss-falls.test.ts
// checks the fall on fixed views (below 0.8×).
describeConformance({
  plugin: swinunetrPlugin,
  plugins: [resencPlugin],
  architecture: 'resenc',
  preset: 'resenc-tiny',
  patchSize: [16, 16, 16],
  batchSize: 4,
  config: { contrastDim: 32, lr: 3e-3, momentum: 0.9 },
  batches: oneBatch,
  createBackend: async () => new OnnxRuntimeBackend(),
  lossFactor: 0.95,
});

describeConformance({
  plugin: swinunetrPlugin,
  plugins: [primusPlugin],
  architecture: 'primus',
  preset: 'primus-tiny',
  patchSize: [16, 16, 16],
  batchSize: 4,
  config: { contrastDim: 32, warmupEpochs: 0, lr: 1e-3 },
  batches: oneBatch,
  createBackend: async () => new OnnxRuntimeBackend({ spinning: false }),
  lossFactor: 0.95,
});
