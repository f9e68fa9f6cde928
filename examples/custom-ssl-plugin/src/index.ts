import { ContainerModule } from 'inversify';
import { CORE_API_VERSION, definePlugin, SSLMethodId, type SSLMethodFactory } from '@openmind-ssl/core';
import { type RotationConfig, rotationConfigSchema } from './config.js';
import { RotationPrediction } from './rotation-method.js';

export { RotationPrediction } from './rotation-method.js';
export { rotationConfigSchema, type RotationConfig } from './config.js';
export { rot90Planes } from './rot90.js';

/** How the host builds the method: it validates the config with `configSchema`, then calls `create`. */
export const rotationFactory: SSLMethodFactory<RotationConfig> = {
  id: 'rotation',
  configSchema: () => rotationConfigSchema,
  create: (ctx) => new RotationPrediction(ctx),
};

export default definePlugin({
  meta: { name: 'rotation', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(rotationFactory).whenNamed('rotation');
  }),
});
