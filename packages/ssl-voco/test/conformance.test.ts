import primusPlugin from '@openmind-ssl/arch-primus';
import resencPlugin from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { describeSslPluginConformance } from '@openmind-ssl/testing';
import vocoPlugin from '../src/index.js';
import { cycledViewBatches } from './store.js';

// The plugin conformance suite on both architectures, on ONNX Runtime, with VoCo's own batches through the
// real loader path (test/store.ts): a 2×2×1 grid of 16³ base crops (32×32×16 patches) and 2 targets per
// image, 2 images per step, crops as cut, a 64-wide projector. This is also the short pre-training that
// must lower the loss: over 20 steps on 4 cycled batches the mean of the last five losses must fall
// below 0.9× (ResEnc; observed 0.84×) and 0.8× (Primus) the mean of the first five.
describeSslPluginConformance({
  plugin: vocoPlugin,
  plugins: [resencPlugin],
  architecture: 'resenc',
  preset: 'resenc-tiny',
  patchSize: [16, 16, 16],
  batchSize: 2,
  config: { projectorDim: 64, augment: false, grid: [2, 2, 1], targets: 2, lr: 0.03, momentum: 0.9 },
  createBackend: async () => new OnnxRuntimeBackend(),
  batches: cycledViewBatches(4),
  lossFactor: 0.9,
});

describeSslPluginConformance({
  plugin: vocoPlugin,
  plugins: [primusPlugin],
  architecture: 'primus',
  preset: 'primus-tiny',
  patchSize: [16, 16, 16],
  batchSize: 2,
  config: { projectorDim: 64, augment: false, grid: [2, 2, 1], targets: 2, warmupEpochs: 0, lr: 1e-3 },
  createBackend: async () => new OnnxRuntimeBackend({ spinning: false }),
  batches: cycledViewBatches(4),
  lossFactor: 0.8,
});
