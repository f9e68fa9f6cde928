import { ContainerModule } from 'inversify';
import { CORE_API_VERSION, definePlugin, SSLMethodId, type SSLMethodFactory } from '@openmind-ssl/core';
import { type SimmimConfig, simmimConfigSchema } from './config.js';
import { SimmimMethod } from './simmim-method.js';

/** Builds the SimMIM method; bound under SSLMethodId as 'simmim'. */
export const simmimFactory: SSLMethodFactory<SimmimConfig> = {
  id: 'simmim',
  configSchema: () => simmimConfigSchema,
  create: (ctx) => new SimmimMethod(ctx),
};

export const simmimPlugin = definePlugin({
  meta: { name: 'simmim', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(simmimFactory).whenNamed('simmim');
  }),
});
