import { ContainerModule } from 'inversify';
import { CORE_API_VERSION, definePlugin, parseConfig, SSLMethodId, type SSLMethodFactory } from '@openmind-ssl/core';
import { type DenoisingConfig, denoisingConfigSchema } from './config.js';
import { DenoisingAutoencoder } from './denoising-method.js';

export { DenoisingAutoencoder } from './denoising-method.js';
export { denoisingConfigSchema, type DenoisingConfig } from './config.js';
export { addGaussianNoise } from './noise.js';

/** How the host builds the method: validate the user's config (naming a bad field), then construct. */
export const denoisingFactory: SSLMethodFactory<DenoisingConfig> = {
  id: 'denoising',
  configSchema: denoisingConfigSchema,
  defaultArchitecture: 'resenc',
  create: (ctx) => new DenoisingAutoencoder({ ...ctx, config: parseConfig("plugin 'denoising'", denoisingConfigSchema, ctx.config) }),
};

/** The package's default export is what `openmind pretrain --plugin <package>` loads. */
export default definePlugin({
  meta: { name: 'denoising', version: '1.0.0', kind: 'ssl-method', coreApi: CORE_API_VERSION },
  configSchema: denoisingConfigSchema,
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(denoisingFactory).whenNamed('denoising');
  }),
});
