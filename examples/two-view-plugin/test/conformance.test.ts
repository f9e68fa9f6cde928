import resencPlugin from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { describeSslPluginConformance } from '@openmind-ssl/testing';
import twoViewPlugin from '../src/index.js';
import { viewBatches } from './store.js';

// Multi-view batches from a synthetic store through the loader and the method's view sampler (seed 1,
// onnxruntime). The turn classification stays near chance (ln 4) over 20 steps on 16³ crops, so the run
// weights the teacher-matching term up (matchWeight 100, lr 3e-3, 4 samples a batch): the loss's last-five
// mean then falls to about 0.8× its first-five mean, below the suite's 0.9.
describeSslPluginConformance({
  plugin: twoViewPlugin,
  plugins: [resencPlugin],
  architecture: 'resenc',
  preset: 'resenc-tiny',
  patchSize: [16, 16, 16],
  batchSize: 4,
  config: { lr: 3e-3, matchWeight: 100 },
  createBackend: async () => new OnnxRuntimeBackend(),
  batches: viewBatches,
});
