import { ContainerModule } from 'inversify';
import { BackendId, type BackendProvider, CORE_API_VERSION, definePlugin, OpenMindError } from '@openmind-ssl/core';
import { createWebGpuBackend } from './create-webgpu-backend.js';

/**
 * Starts WebGPU (navigator.gpu in a browser, Dawn in Node). On a hardware GPU it ranks first. A software
 * adapter (lavapipe, SwiftShader) is used only when asked for by name: there ONNX Runtime's CPU path is
 * far faster.
 */
export const webGpuProvider: BackendProvider = {
  name: 'webgpu',
  priority: 30,
  async create(options) {
    const b = createWebGpuBackend();
    await b.init();
    if (!options?.explicit && b.profile.software) {
      const adapter = b.profile.adapter;
      await b.close();
      throw new OpenMindError(`only a software adapter (${adapter}) is available; it is slower than the CPU backends, so pick it by name (--backend webgpu)`);
    }
    return b;
  },
};

/** The backend as a plugin: binds its provider under BackendId named 'webgpu'. */
export const webGpuPlugin = definePlugin({
  meta: { name: 'webgpu', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(BackendId).toConstantValue(webGpuProvider).whenNamed('webgpu');
  }),
});
