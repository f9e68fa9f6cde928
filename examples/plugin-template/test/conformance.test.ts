import resencPlugin from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { describeSslPluginConformance } from '@openmind-ssl/testing';
import denoisingPlugin from '../src/index.js';

// The checks every OpenMind SSL plugin passes: metadata, loading, config errors, a falling loss,
// determinism and a checkpoint round trip — here on the smallest ResEnc and the ONNX Runtime backend.
describeSslPluginConformance({
  plugin: denoisingPlugin,
  plugins: [resencPlugin],
  architecture: 'resenc',
  preset: 'resenc-tiny',
  patchSize: [16, 16, 16],
  batchSize: 2,
  config: { lr: 3e-3 },
  createBackend: async () => new OnnxRuntimeBackend(),
});
