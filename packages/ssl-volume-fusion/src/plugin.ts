import { ContainerModule } from 'inversify';
import { buildsTokenNetworks, CORE_API_VERSION, definePlugin, SSLMethodId, type SSLMethodFactory } from '@openmind-ssl/core';
import { type FusionConfig, fusionCnnConfigSchema, fusionTokenConfigSchema } from './config.js';
import { VolumeFusionMethod } from './volume-fusion-method.js';

/**
 * Builds VolumeFusion; bound under SSLMethodId as 'volume-fusion'. Its options hold nnssl's SGD recipe on a
 * CNN and the AdamW (EvaMAE) recipe on a token transformer (factories that build core TokenNetworks).
 */
export const volumeFusionFactory: SSLMethodFactory<FusionConfig> = {
  id: 'volume-fusion',
  configSchema: (architecture) => (buildsTokenNetworks(architecture) ? fusionTokenConfigSchema : fusionCnnConfigSchema),
  create: (ctx) => new VolumeFusionMethod(ctx),
};

export const volumeFusionPlugin = definePlugin({
  meta: { name: 'volume-fusion', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(volumeFusionFactory).whenNamed('volume-fusion');
  }),
});
