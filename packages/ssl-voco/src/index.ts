import { vocoPlugin } from './plugin.js';

export default vocoPlugin;
export { vocoFactory, vocoPlugin } from './plugin.js';
export { VocoMethod } from './voco-method.js';
export { tokenVocoConfigSchema, vocoConfigSchema, type TokenVocoConfig, type VocoConfig } from './config.js';
export { ContrastiveNetwork } from './contrastive-network.js';
export { pairwiseCosine, vocoLoss, vocoPredictionLoss, vocoRegularizationLoss } from './voco-loss.js';
export { overlapLabels } from './overlap-labels.js';
export { vocoDataPipeline } from './data-pipeline.js';
