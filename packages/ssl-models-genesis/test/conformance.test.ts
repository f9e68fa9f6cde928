import primusPlugin from '@openmind-ssl/arch-primus';
import resencPlugin from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { describeSslPluginConformance } from '@openmind-ssl/testing';
import modelsGenesisPlugin from '../src/index.js';

// primus-tiny at 16³ on synthetic image batches (the method corrupts them itself), peak rate from the start.
describeSslPluginConformance({
  plugin: modelsGenesisPlugin,
  plugins: [primusPlugin],
  architecture: 'primus',
  preset: 'primus-tiny',
  patchSize: [16, 16, 16],
  config: { warmupEpochs: 0, lr: 1e-3 },
  createBackend: async () => new OnnxRuntimeBackend({ spinning: false }),
});

// resenc-tiny at 16³, 40 steps, SGD momentum 0.9 instead of nnssl's 0.99. Measured with seed 1 (5-step
// means of the per-step loss): with 0.99 the loss first rises as the momentum builds up on the fresh net
// (0.67 → 0.85 over steps 5–10) and is back at 0.64 after 60 steps, the held-out loss 0.70 → 0.57; with 0.9
// it goes 0.68 → 0.82 → 0.55 in 40 steps. A 20-step run cannot separate that from the ±0.05 swing of
// freshly drawn corruptions. The nnssl recipe itself is tested on held-out batches in loss-falls.test.ts.
describeSslPluginConformance({
  plugin: modelsGenesisPlugin,
  plugins: [resencPlugin],
  config: { momentum: 0.9 },
  steps: 40,
  architecture: 'resenc',
  preset: 'resenc-tiny',
  patchSize: [16, 16, 16],
  createBackend: async () => new OnnxRuntimeBackend({ spinning: false }),
});
