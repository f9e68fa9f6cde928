import { swinunetrPlugin } from './plugin.js';

export default swinunetrPlugin;
export { swinunetrFactory, swinunetrPlugin } from './plugin.js';
export { SwinunetrMethod } from './swinunetr-method.js';
export { swinunetrConfigSchema, tokenSwinunetrConfigSchema, type SwinunetrConfig, type TokenSwinunetrConfig } from './config.js';
export { ReconstructionHead, SwinunetrNetwork, type SwinOutputs } from './swinunetr-network.js';
export { swinContrastLoss } from './contrast-loss.js';
export { patchRandDrop, rotateAndCut, type SwinView } from './rotate-and-cut.js';
