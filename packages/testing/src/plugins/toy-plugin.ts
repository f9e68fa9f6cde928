import { ContainerModule } from 'inversify';
import { z } from 'zod';
import {
  CORE_API_VERSION, definePlugin, parseConfig, SSLMethodId, type SSLMethodFactory,
} from '@openmind-ssl/core';
import { ToyDenoisingMethod } from '../training/toy-method.js';

export const toyConfigSchema = z.object({
  /** Learning rate of the toy method's SGD. */
  lr: z.number().positive().default(0.05),
  /** Seed of the initial weights. */
  seed: z.number().int().default(0),
});
export type ToyConfig = z.infer<typeof toyConfigSchema>;

/** The toy denoising method as an SSL plugin, written the way a third party would. */
export const toyFactory: SSLMethodFactory<ToyConfig> = {
  id: 'toy-denoise',
  configSchema: toyConfigSchema,
  defaultArchitecture: 'toy',
  create: ({ config }) => {
    const c = parseConfig("plugin 'toy-denoise'", toyConfigSchema, config);
    return new ToyDenoisingMethod(c.seed, c.lr);
  },
};

export default definePlugin({
  meta: { name: 'toy-denoise', version: '1.0.0', kind: 'ssl-method', coreApi: CORE_API_VERSION },
  configSchema: toyConfigSchema,
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(toyFactory).whenNamed('toy-denoise');
  }),
});
