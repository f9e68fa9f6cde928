export { OVERSAMPLE_FOREGROUND, isForcedForeground } from './oversampling.js';
export type { CropBounds } from './crop-bounds.js';
export { cropBounds } from './crop-bounds.js';
export type { PatchChoice } from './choose-patch.js';
export { choosePatchStart } from './choose-patch.js';
export { IMAGE_PAD, LABEL_PAD, extractPatch } from './extract-patch.js';
export type { SegmentationBatchOptions } from './batch-generator.js';
export { SegmentationBatchGenerator, segmentationBatches } from './batch-generator.js';
