import { ContainerModule } from 'inversify';
import { z } from 'zod';
import {
  CORE_API_VERSION, definePlugin, SSLMethodId, type SSLMethodFactory,
} from '@openmind-ssl/core';
import { ToyDenoisingMethod } from '../training/toy-method.js';

export const toyConfigSchema = z.object({
  /** Learning rate of the toy method's SGD. */
  lr: z.number().positive().default(0.05),
  /** Seed of the initial weights. */
  seed: z.number().int().default(0),
});
export type ToyConfig = z.infer<typeof toyConfigSchema>;

/**
 * The toy denoising method as an SSL plugin, written the way a third party would. It brings its own
 * network, so it ignores the architecture; it has no report capabilities (no reconstruct, no panels).
 */
export const toyFactory: SSLMethodFactory<ToyConfig> = {
  id: 'toy-denoise',
  configSchema: () => toyConfigSchema,
  create: ({ config }) => new ToyDenoisingMethod(config.seed, config.lr),
};

export default definePlugin({
  meta: { name: 'toy-denoise', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(toyFactory).whenNamed('toy-denoise');
  }),
});
