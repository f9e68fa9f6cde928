import { ContainerModule } from 'inversify';
import { buildsTokenNetworks, CORE_API_VERSION, definePlugin, SSLMethodId, type SSLMethodFactory } from '@openmind-ssl/core';
import { type SimclrConfig, simclrConfigSchema, type TokenSimclrConfig, tokenSimclrConfigSchema } from './config.js';
import { SimclrMethod } from './simclr-method.js';

/**
 * Builds the SimCLR method; bound under SSLMethodId as 'simclr'. On an architecture whose factory builds
 * token networks (Primus) the options are SimCLREvaTrainer's (AdamW with warm-up, clip 1).
 */
export const simclrFactory: SSLMethodFactory<SimclrConfig | TokenSimclrConfig> = {
  id: 'simclr',
  configSchema: (architecture) => (buildsTokenNetworks(architecture) ? tokenSimclrConfigSchema : simclrConfigSchema),
  create: (ctx) => new SimclrMethod(ctx),
};

export const simclrPlugin = definePlugin({
  meta: { name: 'simclr', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(simclrFactory).whenNamed('simclr');
  }),
});
