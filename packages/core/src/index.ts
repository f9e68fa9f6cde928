export type { DType, HostArray, TypedArrayFor } from './tensor/dtype.js';
export { DTYPES, allocate, bytesPerElement, dtypeOf, toHostArray } from './tensor/dtype.js';
export type { Shape } from './tensor/shape.js';
export {
  broadcastShapes, inferReshape, normalizeAxes, normalizeAxis, reducedShape, shapesEqual, sizeOf, stridesOf, triple,
} from './tensor/shape.js';
export type { Backend, BackendCapabilities, BackendMemory, KernelHandle } from './backend/backend.js';
export type {
  ArithmeticOp, BinaryOp, ComparisonOp, Conv3DAttrs, Pool3DAttrs, ReduceOp, UnaryOp,
} from './backend/kernel-types.js';
export {
  ARITHMETIC_OPS, COMPARISON_OPS, REDUCE_OPS, UNARY_OPS, windowOutputSize,
} from './backend/kernel-types.js';
export { Rng } from './random/rng.js';
export { OpenMindError } from './errors/openmind-error.js';
export { didYouMean } from './errors/did-you-mean.js';
export type { Augmentation, Sample } from './augment/augmentation.js';
export { Tensor, type TensorLike } from './tensor/tensor.js';
export { Engine } from './tensor/engine.js';
export { engineFor, getEngine, noGrad, setBackend, tidy, withBackend } from './tensor/current-engine.js';
export type { GradNode } from './autograd/grad-node.js';
export * from './ops/index.js';
export * from './nn/index.js';
export * from './optim/index.js';
export { ArchitectureId, AugmentationId, BackendId, DatasetSourceId, SSLMethodId, TaskHeadId, type AugmentationFactory } from './di/tokens.js';
export { probeBackends, selectBackend, type AvailableBackend, type BackendFailure, type BackendProbe, type BackendProvider } from './backend/backend-registry.js';
export { adaptationPlanOf, RECOMMENDED_DOWNSTREAM_PATCH_SIZE, type AdaptationPlan } from './plugins/adaptation-plan.js';
export type { Architecture, ArchitectureFactory, ArchitectureOptions } from './plugins/architecture.js';
export type {
  AugmentationModuleSpec, DataPipeline, HostBatch, SSLMethod, SSLMethodContext, SSLMethodFactory, TrainingRecipe,
} from './plugins/ssl-method.js';
export type { TaskHead, TaskHeadFactory } from './plugins/task-head.js';
export type { DatasetSource } from './plugins/dataset-source.js';
export { CORE_API_VERSION, definePlugin, parseConfig, validatePlugin, type OpenMindPlugin, type PluginKind, type PluginMeta } from './plugins/plugin.js';
export { createRuntime, type Runtime } from './plugins/runtime.js';
export { loadPlugin } from './plugins/load-plugin.js';
export * from './checkpoint/index.js';
export * from './train/index.js';
export { formatDuration, ProgressBar, type TextStream } from './util/progress-bar.js';
