import { ContainerModule } from 'inversify';
import { buildsTokenNetworks, CORE_API_VERSION, definePlugin, SSLMethodId, type SSLMethodFactory } from '@openmind-ssl/core';
import { type MaeConfig, maeConfigSchema } from './config.js';
import { MaeMethod } from './mae-method.js';
import { type TokenMaeConfig, tokenMaeConfigSchema, TokenMaeMethod } from './primus-mae.js';

/**
 * Builds the MAE method; bound under SSLMethodId as 'mae'. On an architecture whose factory builds core
 * TokenNetworks (Primus) it is TokenMaeMethod, which drops tokens inside the network and has its own
 * options (primus-mae.ts); the host validates the config with the schema of the architecture's kind.
 */
export const maeFactory: SSLMethodFactory<MaeConfig | TokenMaeConfig> = {
  id: 'mae',
  configSchema: (architecture) => (buildsTokenNetworks(architecture) ? tokenMaeConfigSchema : maeConfigSchema),
  create: (ctx) => {
    const architecture = ctx.architecture as typeof ctx.architecture | undefined;
    return buildsTokenNetworks(architecture)
      ? new TokenMaeMethod({ ...ctx, architecture, config: ctx.config as TokenMaeConfig })
      : new MaeMethod({ ...ctx, config: ctx.config as MaeConfig });
  },
};

export const maePlugin = definePlugin({
  meta: { name: 'mae', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(maeFactory).whenNamed('mae');
  }),
});
