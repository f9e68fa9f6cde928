import { primusPlugin } from './plugin.js';

export { primusPlugin } from './plugin.js';
export { primusFactory, type PrimusArchitectureOptions, type PrimusDownstreamOptions, type PrimusFactory } from './primus-factory.js';
export { Primus, primusArchKwargs, type PrimusOptions } from './primus.js';
export { primusConfigFromArchitecturePlans } from './architecture-plans.js';
export { Eva, type EvaForwardOptions, type EvaOptions } from './eva.js';
export { EvaBlock, type EvaBlockOptions } from './eva-block.js';
export { EvaAttention, type EvaAttentionOptions } from './eva-attention.js';
export { SwiGLU } from './swiglu.js';
export { applyRotary, RotaryEmbedding3d, rotaryTables, type RopeTables } from './rotary-embedding.js';
export { PatchEmbed } from './patch-embed.js';
export { PatchDecode, patchDecodePlan, type PatchDecodePlan } from './patch-decode.js';
export { LayerNormNd } from './layer-norm-nd.js';
export { checkPrimusConfig, headDim, mlpHidden, tokenGridOf, type PrimusConfig, type Triple } from './config.js';
export { PRIMUS_PRESETS, PRIMUS_PRESET_NAMES, primusPreset, type PrimusPreset } from './presets.js';
export {
  evaParameterShapes, primusBufferCount, primusBufferShapes, primusParameterCount, primusParameterShapes,
  type ParameterShape, type PrimusShapeOptions,
} from './parameter-shapes.js';
export { tokenFlagsToVoxels, tokenIndex, tokensToVolume, volumeToTokens } from './token-layout.js';
export { checkTokenKeep, flatKeepIndices, gatherKeptTokens, keptFlags, type TokenKeep } from './token-keep.js';

export default primusPlugin;
