import { volumeFusionPlugin } from './plugin.js';

export default volumeFusionPlugin;
export { volumeFusionFactory, volumeFusionPlugin } from './plugin.js';
export { VolumeFusionMethod } from './volume-fusion-method.js';
export { fusionCnnConfigSchema, fusionTokenConfigSchema, type FusionCnnConfig, type FusionConfig, type FusionTokenConfig } from './config.js';
export { boxSizeRange, drawFusionPlan, mixingCoefficients, NNSSL_FUSION, type FusionBox, type FusionSettings } from './fusion-plan.js';
export { fuseVolumes, type FusedPair } from './fuse-volumes.js';
export { fuseBatch, type FusedBatch } from './fuse-batch.js';
export { DICE_SMOOTH, diceCeLoss, softDiceLoss } from './dice-ce-loss.js';
