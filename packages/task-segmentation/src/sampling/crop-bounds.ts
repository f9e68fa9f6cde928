import type { Vec3 } from '../contract.js';

/** Range of patch starts per axis: [lower, upper], both inclusive. */
export interface CropBounds {
  lower: Vec3;
  upper: Vec3;
}

/**
 * nnU-Net's crop bounds (`nnUNetDataLoader.get_bbox`): with `pad = patchSize − finalPatchSize` (the extra
 * border of the enlarged training patch), enlarged on an axis where the image plus pad is still smaller than
 * the patch, a start may lie in [−pad // 2, shape + pad // 2 + pad % 2 − patchSize] (Python floor division).
 * @param dataShape spatial shape of the case.
 * @param patchSize the patch the loader crops (the initial patch for training).
 * @param finalPatchSize the network patch.
 */
export function cropBounds(dataShape: Vec3, patchSize: Vec3, finalPatchSize: Vec3): CropBounds {
  const lower: Vec3 = [0, 0, 0];
  const upper: Vec3 = [0, 0, 0];
  for (let d = 0; d < 3; d++) {
    let pad = patchSize[d]! - finalPatchSize[d]!;
    if (pad + dataShape[d]! < patchSize[d]!) pad = patchSize[d]! - dataShape[d]!;
    // 0 − ceil(pad / 2) is Python's −pad // 2 (and +0, not −0, for pad 0).
    lower[d] = 0 - Math.ceil(pad / 2);
    upper[d] = dataShape[d]! + Math.floor(pad / 2) + (pad % 2) - patchSize[d]!;
  }
  return { lower, upper };
}
