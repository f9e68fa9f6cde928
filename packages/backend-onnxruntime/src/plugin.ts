import { ContainerModule } from 'inversify';
import { BackendId, type BackendProvider, CORE_API_VERSION, definePlugin } from '@openmind-ssl/core';
import { OnnxRuntimeBackend } from './onnxruntime-backend.js';

/** Starts ONNX Runtime's CPU execution provider; the fastest CPU backend, so the highest priority here. */
export const onnxRuntimeProvider: BackendProvider = {
  name: 'onnxruntime',
  priority: 20,
  async create() {
    const b = new OnnxRuntimeBackend();
    await b.init();
    return b;
  },
};

/** The backend as a plugin: binds its provider under BackendId named 'onnxruntime'. */
export const onnxRuntimePlugin = definePlugin({
  meta: { name: 'onnxruntime', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(BackendId).toConstantValue(onnxRuntimeProvider).whenNamed('onnxruntime');
  }),
});
