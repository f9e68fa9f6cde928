import { ContainerModule } from 'inversify';
import { buildsTokenNetworks, CORE_API_VERSION, definePlugin, SSLMethodId, type SSLMethodFactory } from '@openmind-ssl/core';
import { type GenesisConfig, genesisCnnConfigSchema, genesisTokenConfigSchema } from './config.js';
import { ModelsGenesisMethod } from './models-genesis-method.js';

/**
 * Builds Models Genesis; bound under SSLMethodId as 'models-genesis'. Its options hold nnssl's SGD recipe
 * on a CNN and the AdamW (EvaMAE) recipe on a token transformer (factories that build core TokenNetworks).
 */
export const modelsGenesisFactory: SSLMethodFactory<GenesisConfig> = {
  id: 'models-genesis',
  configSchema: (architecture) => (buildsTokenNetworks(architecture) ? genesisTokenConfigSchema : genesisCnnConfigSchema),
  create: (ctx) => new ModelsGenesisMethod(ctx),
};

export const modelsGenesisPlugin = definePlugin({
  meta: { name: 'models-genesis', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(modelsGenesisFactory).whenNamed('models-genesis');
  }),
});
