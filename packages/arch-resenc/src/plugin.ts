import { ContainerModule } from 'inversify';
import { ArchitectureId, CORE_API_VERSION, definePlugin } from '@openmind-ssl/core';
import { resencFactory } from './resenc-factory.js';

/** The architecture plugin: binds the ResEnc factory under ArchitectureId, named 'resenc'. */
export const resencPlugin = definePlugin({
  meta: { name: 'resenc', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(ArchitectureId).toConstantValue(resencFactory).whenNamed('resenc');
  }),
});
