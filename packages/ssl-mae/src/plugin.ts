import { ContainerModule } from 'inversify';
import {
  buildsTokenNetworks, CORE_API_VERSION, definePlugin, parseConfig, SSLMethodId, type SSLMethodFactory,
} from '@openmind-ssl/core';
import { type MaeConfig, maeConfigSchema } from './config.js';
import { MaeMethod } from './mae-method.js';
import { TokenMaeMethod } from './primus-mae.js';

/**
 * Builds the MAE method; bound under SSLMethodId as 'mae'. On an architecture whose factory builds core
 * TokenNetworks (Primus) it is TokenMaeMethod, which drops tokens inside the network and has its own
 * config (primus-mae.ts).
 */
export const maeFactory: SSLMethodFactory<MaeConfig> = {
  id: 'mae',
  configSchema: maeConfigSchema,
  defaultArchitecture: 'resenc',
  create: (ctx) => {
    const architecture = ctx.architecture as typeof ctx.architecture | undefined;
    return buildsTokenNetworks(architecture)
      ? new TokenMaeMethod({ ...ctx, architecture })
      : new MaeMethod({ ...ctx, config: parseConfig("plugin 'mae'", maeConfigSchema, ctx.config) });
  },
};

export const maePlugin = definePlugin({
  meta: { name: 'mae', version: '1.0.0', kind: 'ssl-method', coreApi: CORE_API_VERSION },
  configSchema: maeConfigSchema,
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(maeFactory).whenNamed('mae');
  }),
});
