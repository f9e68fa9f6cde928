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
  createBackend: async () => new OnnxRuntimeBackend(),
});
