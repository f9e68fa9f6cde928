export { hasEncoderFeatures, type EncoderFeatures, type Triple3 } from './encoder-features.js';
export { acceptsStageHook, type StageHookEncoder, type StageMaskHook } from './stage-mask-hook.js';
export {
  buildsTokenNetworks, isTokenNetwork, missingTokenMembers, type TokenForwardOptions, type TokenKeep, type TokenNetwork,
  type TokenNetworkFactory, type TokenNetworkOptions, type TokenTransformer, type TokenTransformerOptions,
} from './token-network.js';
export { hasPytorchKeys, identityPytorchKeys, pytorchKeysOf, type PytorchKeyMapping, type PytorchKeysFactory } from './pytorch-keys.js';
export {
  buildsFromAdaptationPlan, factoryForArchClass, shortArchClassName, type DownstreamOptions, type PlanBuildingFactory,
} from './from-adaptation-plan.js';
export { encodesSparsely, type ActiveVoxels, type SparseEncoder } from './sparse-encoder.js';
export { decodesFeatures, type FeatureDecoder } from './feature-decoder.js';
