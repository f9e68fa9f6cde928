import { ContainerModule } from 'inversify';
import { CORE_API_VERSION, definePlugin, SSLMethodId, type SSLMethodFactory } from '@openmind-ssl/core';
import { type TwoViewConfig, twoViewConfigSchema } from './config.js';
import { TwoViewTurn } from './two-view-method.js';

export { TwoViewTurn } from './two-view-method.js';
export { EncoderProjector, TwoViewNetwork } from './two-view-network.js';
export { twoViewConfigSchema, type TwoViewConfig } from './config.js';
export { twoViewSampler } from './two-view-sampler.js';
export { turnPlanes } from './turn-plane.js';

/** How the host builds the method: it validates the config with `configSchema`, then calls `create`. */
export const twoViewFactory: SSLMethodFactory<TwoViewConfig> = {
  id: 'two-view',
  configSchema: () => twoViewConfigSchema,
  create: (ctx) => new TwoViewTurn(ctx),
};

export default definePlugin({
  meta: { name: 'two-view', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(twoViewFactory).whenNamed('two-view');
  }),
});
