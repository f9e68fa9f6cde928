import { ContainerModule } from 'inversify';
import { CORE_API_VERSION, definePlugin, SSLMethodId, type SSLMethodFactory } from '@openmind-ssl/core';
import { type DenoisingConfig, denoisingConfigSchema } from './config.js';
import { DenoisingAutoencoder } from './denoising-method.js';

export { DenoisingAutoencoder } from './denoising-method.js';
export { denoisingConfigSchema, type DenoisingConfig } from './config.js';
export { addGaussianNoise } from './noise.js';

/**
 * How the host builds the method: it validates the user's config with `configSchema` (naming a bad field)
 * and fills its defaults, then calls `create` with the parsed config.
 */
export const denoisingFactory: SSLMethodFactory<DenoisingConfig> = {
  id: 'denoising',
  configSchema: () => denoisingConfigSchema,
  create: (ctx) => new DenoisingAutoencoder(ctx),
};

/** The package's default export is what `openmind pretrain --plugin <package>` loads. */
export default definePlugin({
  meta: { name: 'denoising', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(denoisingFactory).whenNamed('denoising');
  }),
});
