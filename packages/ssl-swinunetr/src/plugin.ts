import { ContainerModule } from 'inversify';
import { buildsTokenNetworks, CORE_API_VERSION, definePlugin, SSLMethodId, type SSLMethodFactory } from '@openmind-ssl/core';
import { type SwinunetrConfig, swinunetrConfigSchema, type TokenSwinunetrConfig, tokenSwinunetrConfigSchema } from './config.js';
import { SwinunetrMethod } from './swinunetr-method.js';

/** Builds the SwinUNETR pre-training method; bound under SSLMethodId as 'swinunetr'. */
export const swinunetrFactory: SSLMethodFactory<SwinunetrConfig | TokenSwinunetrConfig> = {
  id: 'swinunetr',
  configSchema: (architecture) => (buildsTokenNetworks(architecture) ? tokenSwinunetrConfigSchema : swinunetrConfigSchema),
  create: (ctx) => new SwinunetrMethod(ctx),
};

export const swinunetrPlugin = definePlugin({
  meta: { name: 'swinunetr', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(swinunetrFactory).whenNamed('swinunetr');
  }),
});
