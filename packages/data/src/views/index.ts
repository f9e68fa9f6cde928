export type { Box3 } from './crop-box.js';
export { boxRow, cutBox, intersectionVolume } from './crop-box.js';
export type { OverlappingCropsOptions } from './overlapping-crops.js';
export { overlappingCropsSampler } from './overlapping-crops.js';
export type { GridCropsOptions } from './grid-crops.js';
export { gridCropsSampler } from './grid-crops.js';
