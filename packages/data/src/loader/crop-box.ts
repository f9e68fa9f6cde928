import type { Rng } from '@openmind-ssl/core';
import type { Shape3 } from '../preprocess/volume.js';

/**
 * Padding allowed per axis around a volume when placing a crop, as nnssl's `get_bbox`: the difference
 * between the crop size and the final (network) patch size, raised so that a volume smaller than the
 * crop can always hold it.
 */
export function needToPad(shape: Shape3, patch: Shape3, finalPatch: Shape3): Shape3 {
  return [0, 1, 2].map((d) => {
    let n = patch[d]! - finalPatch[d]!;
    if (shape[d]! + n < patch[d]!) n = patch[d]! - shape[d]!;
    return n;
  }) as Shape3;
}

/** Lower and upper bound of the crop start per axis (nnssl: `lb = −ntp//2`, `ub = shape + ntp//2 + ntp%2 − patch`). */
export function cropBounds(shape: Shape3, patch: Shape3, finalPatch: Shape3): { lb: Shape3; ub: Shape3 } {
  const ntp = needToPad(shape, patch, finalPatch);
  const lb = ntp.map((n) => Math.floor(-n / 2)) as Shape3;
  const ub = ntp.map((n, d) => shape[d]! + Math.floor(n / 2) + (n % 2) - patch[d]!) as Shape3;
  return { lb, ub };
}

/** A uniformly random crop start in `[lb, ub]` per axis (inclusive, as `np.random.randint(lb, ub + 1)`). */
export function randomCropStart(shape: Shape3, patch: Shape3, finalPatch: Shape3, rng: Rng): Shape3 {
  const { lb, ub } = cropBounds(shape, patch, finalPatch);
  return [0, 1, 2].map((d) => rng.int(lb[d]!, ub[d]! + 1)) as Shape3;
}

/**
 * A crop start that centres the crop on `voxel`, kept at or above the lower bound (nnssl's foreground
 * crop: `max(lb, voxel − patch//2)`, no upper clamp; the part past the volume is padded).
 */
export function centredCropStart(shape: Shape3, patch: Shape3, finalPatch: Shape3, voxel: readonly number[]): Shape3 {
  const { lb } = cropBounds(shape, patch, finalPatch);
  return [0, 1, 2].map((d) => Math.max(lb[d]!, voxel[d]! - Math.floor(patch[d]! / 2))) as Shape3;
}
