export { type AdaptedKind, LORA_DEFAULTS, type LoraOptions, LowRankAdapter } from './low-rank-adapter.js';
export { addLoraAdapters, defaultLoraTargets, isLoraKey, loraParameters, type LoraTargetPredicate, mergedLoraStateDict } from './add-lora.js';
