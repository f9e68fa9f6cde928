export { buildSegmentationNetwork, hasDeepSupervision, type BuildNetworkOptions, type SegmentationNetwork } from './build-network.js';
// Reading a pre-trained checkpoint and loading its encoder are shared with the classification task: they
// live in @openmind-ssl/interop and are re-exported here for existing callers.
export { loadPretrainedEncoder, type PretrainedCheckpoint, type PretrainedLoad, pretrainPatchSize, readPretrainedCheckpoint } from '@openmind-ssl/interop';
export { addEncoderLoraAdapters } from './encoder-lora.js';
