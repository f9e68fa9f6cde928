export { tileGrid, tileStarts } from './tile-starts.js';
export { gaussianImportanceMap, type GaussianOptions } from './gaussian-importance.js';
export { roundToFloat16 } from './half-precision-round.js';
export { paddingToPatch, padVolume, unpadVolume, type AxisPadding } from './pad-to-patch.js';
export { flipSpatial, mirrorSubsets } from './mirror.js';
export {
  slidingWindowPredict, type SegmentationNetworkFn, type SlidingWindowOptions, type TileProgress, type VolumeLogits,
} from './sliding-window.js';
export { LOGIT_RESAMPLING, restoreGeometry, type RestoredPrediction } from './restore-geometry.js';
export { writePrediction } from './write-prediction.js';
export { findPredictionCases, type PredictionCase } from './find-cases.js';
export { type CasePrediction, predictCases, type PredictCasesOptions } from './predict-cases.js';
