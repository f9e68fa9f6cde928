export { buildSegmentationNetwork, hasDeepSupervision, type BuildNetworkOptions, type SegmentationNetwork } from './build-network.js';
export { readPretrainedCheckpoint, type PretrainedCheckpoint } from './read-pretrained.js';
export { loadPretrainedEncoder, pretrainPatchSize, type PretrainedLoad } from './load-pretrained.js';
export { addEncoderLoraAdapters } from './encoder-lora.js';
