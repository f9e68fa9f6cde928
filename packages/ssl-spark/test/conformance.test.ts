import resencPlugin from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { describeSslPluginConformance } from '@openmind-ssl/testing';
import sparkPlugin from '../src/index.js';

// resenc-tiny at 16³ with 4³ mask cells, on ONNX Runtime (the reference backend's plain-loop
// convolutions are too slow for 20 steps of a U-Net).
describeSslPluginConformance({
  plugin: sparkPlugin,
  plugins: [resencPlugin],
  architecture: 'resenc',
  preset: 'resenc-tiny',
  patchSize: [16, 16, 16],
  config: { blockSize: 4 },
  createBackend: async () => new OnnxRuntimeBackend(),
});
