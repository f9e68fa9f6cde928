import type { ServiceIdentifier } from 'inversify';
import type { Augmentation } from '../augment/augmentation.js';
import type { BackendProvider } from '../backend/backend-registry.js';
import type { ArchitectureFactory } from '../plugins/architecture.js';
import type { DatasetSource } from '../plugins/dataset-source.js';
import type { SSLMethodFactory } from '../plugins/ssl-method.js';
import type { TaskFactory } from '../plugins/task.js';

// Every service identifier of OpenMind-TS. Plugins bind under these tokens, named by their id
// (`bind(SSLMethodId).toConstantValue(factory).whenNamed('mae')`); Symbol.for makes two copies of core
// agree on the tokens.
export const BackendId: ServiceIdentifier<BackendProvider> = Symbol.for('@openmind-ssl/core:Backend');
export const ArchitectureId: ServiceIdentifier<ArchitectureFactory> = Symbol.for('@openmind-ssl/core:Architecture');
export const SSLMethodId: ServiceIdentifier<SSLMethodFactory> = Symbol.for('@openmind-ssl/core:SSLMethod');
export const AugmentationId: ServiceIdentifier<AugmentationFactory> = Symbol.for('@openmind-ssl/core:Augmentation');
/** Fine-tuning tasks ('segmentation', 'classification'), named by TaskFactory.id. */
export const TaskId: ServiceIdentifier<TaskFactory> = Symbol.for('@openmind-ssl/core:Task');
export const DatasetSourceId: ServiceIdentifier<DatasetSource> = Symbol.for('@openmind-ssl/core:DatasetSource');

/** Builds an augmentation from its (validated) options. */
export interface AugmentationFactory {
  readonly name: string;
  create(options: unknown): Augmentation;
}
