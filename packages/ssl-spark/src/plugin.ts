import { ContainerModule } from 'inversify';
import { CORE_API_VERSION, definePlugin, SSLMethodId, type SSLMethodFactory } from '@openmind-ssl/core';
import { type SparkConfig, sparkConfigSchema } from './config.js';
import { SparkMethod } from './spark-method.js';

/** Builds the SparK method; bound under SSLMethodId as 'spark'. */
export const sparkFactory: SSLMethodFactory<SparkConfig> = {
  id: 'spark',
  configSchema: () => sparkConfigSchema,
  create: (ctx) => new SparkMethod(ctx),
};

export const sparkPlugin = definePlugin({
  meta: { name: 'spark', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue(sparkFactory).whenNamed('spark');
  }),
});
