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
export { debugRequested, explainError, type ExplainedError } from './errors/explain-error.js';
export type { Augmentation, Sample } from './augment/augmentation.js';
export type { SampledViews, SampleTarget, SourceSample, TargetDType, ViewSampler } from './augment/view-sampler.js';
export { Tensor, type TensorLike } from './tensor/tensor.js';
export { Engine } from './tensor/engine.js';
export { engineFor, getEngine, noGrad, setBackend, tidy, withBackend } from './tensor/current-engine.js';
export type { GradNode } from './autograd/grad-node.js';
export * from './ops/index.js';
export * from './nn/index.js';
export * from './optim/index.js';
export { ArchitectureId, AugmentationId, BackendId, DatasetSourceId, SSLMethodId, TaskId, type AugmentationFactory } from './di/tokens.js';
export { probeBackends, selectBackend, type AvailableBackend, type BackendFailure, type BackendProbe, type BackendProvider } from './backend/backend-registry.js';
export { adaptationPlanOf, RECOMMENDED_DOWNSTREAM_PATCH_SIZE, type AdaptationPlan } from './plugins/adaptation-plan.js';
export type { Architecture, ArchitectureFactory, ArchitectureOptions } from './plugins/architecture.js';
export * from './plugins/capabilities/index.js';
export type {
  AugmentationModuleSpec, DataPipeline, HostBatch, SSLMethod, SSLMethodContext, SSLMethodFactory, TrainingRecipe,
} from './plugins/ssl-method.js';
export type {
  DownstreamNetwork, LabelledCase, Task, TaskContext, TaskDataset, TaskFactory, TaskMetrics,
} from './plugins/task.js';
export type { ImagePanel, MatrixPanel, Reconstruction, ReportPanel } from './plugins/report-panels.js';
export { createSslMethod, type RawSSLMethodContext } from './plugins/create-ssl-method.js';
export { findArchitecture, type ArchitectureFamily } from './plugins/find-architecture.js';
export type { NamedBinding } from './plugins/named-bindings.js';
export type { HostTarget, HostView, ViewPipeline, ViewSpec } from './plugins/batch-views.js';
export type { WorkerModuleSpec } from './plugins/worker-module-spec.js';
export type { DatasetSource } from './plugins/dataset-source.js';
export { CORE_API_VERSION, definePlugin, parseConfig, validatePlugin, type OpenMindPlugin, type PluginMeta } from './plugins/plugin.js';
export { createRuntime, tokenLabel, type Runtime } from './plugins/runtime.js';
export { loadPlugin } from './plugins/load-plugin.js';
export * from './checkpoint/index.js';
export * from './train/index.js';
export { formatDuration, ProgressBar, type TextStream } from './util/progress-bar.js';
