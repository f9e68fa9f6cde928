import { ContainerModule } from 'inversify';
import { ArchitectureId, CORE_API_VERSION, definePlugin } from '@openmind-ssl/core';
import { primusFactory } from './primus-factory.js';

/** The architecture plugin: binds the Primus factory under ArchitectureId, named 'primus'. */
export const primusPlugin = definePlugin({
  meta: { name: 'primus', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(ArchitectureId).toConstantValue(primusFactory).whenNamed('primus');
  }),
});
