import primusPlugin from '@openmind-ssl/arch-primus';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { describeSslPluginConformance } from '@openmind-ssl/testing';
import simmimPlugin from '../src/index.js';

// SimMIM on primus-tiny (8³ tokens) at 16³ on ONNX Runtime: 8 tokens, 6 masked per sample. The 50-epoch
// warm-up of the reference recipe would hold the rate near zero in a one-epoch run, so this run starts at
// the peak rate.
describeSslPluginConformance({
  plugin: simmimPlugin,
  plugins: [primusPlugin],
  architecture: 'primus',
  preset: 'primus-tiny',
  patchSize: [16, 16, 16],
  config: { warmupEpochs: 0, lr: 1e-3 },
  createBackend: async () => new OnnxRuntimeBackend({ spinning: false }),
});
