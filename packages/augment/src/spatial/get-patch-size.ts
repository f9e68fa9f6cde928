import type { Triple, ValueRange } from '../types.js';
import { rotateRow, rotationMatrix } from './rotation-matrix.js';

/** A rotation limit: an angle range in radians (its largest magnitude counts) or a single angle. */
export type AngleLimit = number | ValueRange;

/**
 * The enlarged patch a loader must crop so that a rotated and scaled `finalPatchSize` patch still lies
 * inside it: nnU-Net's `get_patch_size`. The patch's extent vector is rotated by the largest angle about
 * each axis separately (each capped at 90°), the element-wise maximum of the magnitudes is kept, divided
 * by the smallest scale and truncated to integers. 160³ with ±30° and scale (0.85, 1.25) gives 257³.
 * @param finalPatchSize - network input size (X, Y, Z).
 * @param scaleRange - its smaller bound divides the size.
 */
export function getPatchSize(
  finalPatchSize: Triple,
  rotX: AngleLimit,
  rotY: AngleLimit,
  rotZ: AngleLimit,
  scaleRange: ValueRange,
): Triple {
  const limit = (r: AngleLimit) => Math.min(Math.PI / 2, typeof r === 'number' ? r : Math.max(Math.abs(r[0]), Math.abs(r[1])));
  const ax = limit(rotX);
  const ay = limit(rotY);
  const az = limit(rotZ);
  const shape = [...finalPatchSize];
  for (const r of [rotationMatrix(ax, 0, 0), rotationMatrix(0, ay, 0), rotationMatrix(0, 0, az)]) {
    const rotated = rotateRow(finalPatchSize, r);
    for (let d = 0; d < 3; d++) shape[d] = Math.max(shape[d]!, Math.abs(rotated[d]!));
  }
  const minScale = Math.min(scaleRange[0], scaleRange[1]);
  if (!(minScale > 0)) throw new RangeError(`getPatchSize: scaleRange must be positive, but got [${scaleRange.join(', ')}].`);
  return [Math.trunc(shape[0]! / minScale), Math.trunc(shape[1]! / minScale), Math.trunc(shape[2]! / minScale)];
}
