// The browser-safe part of @openmind-ssl/task-segmentation (`@openmind-ssl/task-segmentation/browser`):
// preprocessing an image held in memory, building the plan's network, sliding-window prediction and the
// way back to the input's grid. Nothing here imports a Node module; reading and writing files, datasets,
// the trainer and the run stay in the main entry.
export type { CaseGeometry, SegmentationPlan, Vec3 } from './contract.js';
export type { RawSegmentationCase } from './dataset/load-raw-case.js';
export { preprocessImage, type PreprocessedImage } from './preprocess/preprocess-case.js';
export { buildSegmentationNetwork, hasDeepSupervision, type BuildNetworkOptions, type SegmentationNetwork } from './network/build-network.js';
export { gaussianImportanceMap, type GaussianOptions } from './inference/gaussian-importance.js';
export { tileGrid, tileStarts } from './inference/tile-starts.js';
export {
  slidingWindowPredict, type SegmentationNetworkFn, type SlidingWindowOptions, type TileProgress, type VolumeLogits,
} from './inference/sliding-window.js';
export { LOGIT_RESAMPLING, restoreGeometry, type RestoredPrediction } from './inference/restore-geometry.js';
export type { SegmentationModelConfig } from './train/segmentation-model.js';
