import { ContainerModule } from 'inversify';
import { CORE_API_VERSION, definePlugin, parseConfig, SSLMethodId, type SSLMethodFactory } from '@openmind-ssl/core';
import { type RotationConfig, rotationConfigSchema } from './config.js';
import { RotationPrediction } from './rotation-method.js';

export { RotationPrediction } from './rotation-method.js';
export { rotationConfigSchema, type RotationConfig } from './config.js';
export { rot90Planes } from './rot90.js';

/** How the host builds the method: validate the config, then construct. */
export const rotationFactory: SSLMethodFactory<RotationConfig> = {
  id: 'rotation',
  configSchema: rotationConfigSchema,
  defaultArchitecture: 'resenc',
  create: (ctx) => new RotationPrediction({ ...ctx, config: parseConfig("plugin 'rotation'", rotationConfigSchema, ctx.config) }),
};

export default definePlugin({
  meta: { name: 'rotation', version: '1.0.0', kind: 'ssl-method', coreApi: CORE_API_VERSION },
  configSchema: rotationConfigSchema,
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(rotationFactory).whenNamed('rotation');
  }),
});
