export type { SegmentationFingerprint } from './fingerprint.js';
export { extractSegmentationFingerprint } from './fingerprint.js';
export { fullresTargetSpacing, percentile, transposeForward } from './target-spacing.js';
export type { PlanSegmentationOptions } from './plan-segmentation.js';
export {
  DEFAULT_BATCH_SIZE, LOWRES_CREATION_THRESHOLD, MASK_FOR_NORM_THRESHOLD, OPENMIND_SPACING, SPACING_MODES, planSegmentation, planSegmentationAsync, pretrainSpacing,
} from './plan-segmentation.js';
