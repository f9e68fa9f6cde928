import primusPlugin from '@openmind-ssl/arch-primus';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { describeSslPluginConformance } from '@openmind-ssl/testing';
import maePlugin from '../src/index.js';

// MAE on primus-tiny (8³ tokens) at 16³ on the ONNX Runtime backend: 8 tokens, 2 kept per sample. The
// 50-epoch warm-up of the reference recipe would keep the rate near zero in a one-epoch run, so this run
// starts at the peak rate.
describeSslPluginConformance({
  plugin: maePlugin,
  plugins: [primusPlugin],
  architecture: 'primus',
  preset: 'primus-tiny',
  patchSize: [16, 16, 16],
  config: { warmupEpochs: 0, lr: 1e-3 },
  createBackend: async () => {
    const b = new OnnxRuntimeBackend({ spinning: false });
    await b.init();
    return b;
  },
});
