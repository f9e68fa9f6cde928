import { ContainerModule } from 'inversify';
import { BackendId, type BackendProvider, CORE_API_VERSION, definePlugin } from '@openmind-ssl/core';
import { createTfjsBackend } from './tfjs-backend.js';

/** Starts the tfjs backend (native variants when installed, else pure JS); lowest priority of ours. */
export const tfjsProvider: BackendProvider = {
  name: 'tfjs',
  priority: 10,
  async create() {
    const b = createTfjsBackend();
    await b.init();
    return b;
  },
};

/** The backend as a plugin: binds its provider under BackendId named 'tfjs'. */
export const tfjsPlugin = definePlugin({
  meta: { name: 'tfjs', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(BackendId).toConstantValue(tfjsProvider).whenNamed('tfjs');
  }),
});
