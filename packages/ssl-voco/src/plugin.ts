import { ContainerModule } from 'inversify';
import { buildsTokenNetworks, CORE_API_VERSION, definePlugin, SSLMethodId, type SSLMethodFactory } from '@openmind-ssl/core';
import { type TokenVocoConfig, tokenVocoConfigSchema, type VocoConfig, vocoConfigSchema } from './config.js';
import { VocoMethod } from './voco-method.js';

/**
 * Builds the VoCo method; bound under SSLMethodId as 'voco'. On an architecture whose factory builds token
 * networks (Primus) the options are VoCoEvaTrainer's (AdamW with warm-up, clip 1).
 */
export const vocoFactory: SSLMethodFactory<VocoConfig | TokenVocoConfig> = {
  id: 'voco',
  configSchema: (architecture) => (buildsTokenNetworks(architecture) ? tokenVocoConfigSchema : vocoConfigSchema),
  create: (ctx) => new VocoMethod(ctx),
};

export const vocoPlugin = definePlugin({
  meta: { name: 'voco', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(vocoFactory).whenNamed('voco');
  }),
});
