import primusPlugin from '@openmind-ssl/arch-primus';
import resencPlugin from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { describeSslPluginConformance } from '@openmind-ssl/testing';
import simclrPlugin from '../src/index.js';
import { cycledViewBatches } from './store.js';

// The plugin conformance suite on both architectures, on ONNX Runtime, with SimCLR's own batches through
// the real loader path (test/store.ts): 16³ crops from 48×48×16 patches of a synthetic store, 2 images ×
// 2 pairs per step (NT-Xent over 8 rows, log 7 ≈ 1.95 at chance), crops as cut, a 64-wide projector.
// This is also the short pre-training that must lower the loss: over 20 steps on 4 cycled batches, the
// mean of the last five losses must fall below 0.7× the mean of the first five (the suite's default asks
// 0.9×). Observed: ResEnc about 0.3×, Primus about 0.4×. With the recipe defaults (clip 0.1, lr 1e-2) the
// ResEnc loss falls too slowly to show in 20 steps, so this run clips at 1 with lr 0.03, momentum 0.9.
describeSslPluginConformance({
  plugin: simclrPlugin,
  plugins: [resencPlugin],
  architecture: 'resenc',
  preset: 'resenc-tiny',
  patchSize: [16, 16, 16],
  batchSize: 2,
  config: { projectorDim: 64, augment: false, lr: 0.03, momentum: 0.9, gradClip: 1 },
  createBackend: async () => new OnnxRuntimeBackend(),
  batches: cycledViewBatches(4),
  lossFactor: 0.7,
});

describeSslPluginConformance({
  plugin: simclrPlugin,
  plugins: [primusPlugin],
  architecture: 'primus',
  preset: 'primus-tiny',
  patchSize: [16, 16, 16],
  batchSize: 2,
  config: { projectorDim: 64, augment: false, warmupEpochs: 0, lr: 1e-3 },
  createBackend: async () => new OnnxRuntimeBackend({ spinning: false }),
  batches: cycledViewBatches(4),
  lossFactor: 0.7,
});
