import resencPlugin from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { describeSslPluginConformance } from '@openmind-ssl/testing';
import rotationPlugin from '../src/index.js';

describeSslPluginConformance({
  plugin: rotationPlugin,
  plugins: [resencPlugin],
  architecture: 'resenc',
  preset: 'resenc-tiny',
  patchSize: [16, 16, 16],
  batchSize: 4,
  config: { lr: 3e-3 },
  // 40 steps: with uniformly drawn rotations (core's seed-tuple fix) 20 steps do not yet show a 10 % fall
  // (1.36 vs 1.31 allowed); the earlier 20-step pass relied on per-step generators whose first draws were ≈ 0.
  steps: 40,
  createBackend: async () => new OnnxRuntimeBackend(),
});
