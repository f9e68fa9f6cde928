import type { Triple } from '../types.js';

/**
 * Where each output voxel samples the input, batchgenerators-style: output voxel i has the centred
 * coordinate c = i - (size - 1)/2, which is rotated as a row vector (c·R), multiplied by `scale` and
 * shifted to `center`. Input coordinate along axis d: ((c0·R0d + c1·R1d) + c2·R2d)·scale + center_d.
 */
export interface SamplingGrid {
  /** Output spatial size (X, Y, Z). */
  size: Triple;
  /** Row-major 3×3 rotation R (see `rotationMatrix`). */
  rotation: readonly number[];
  /** Isotropic factor on the centred coordinates: > 1 samples a larger region (zoom out). */
  scale: number;
  /** Input voxel coordinate that the output's centre maps to. */
  center: Triple;
}

/**
 * scipy.ndimage's mirror mapping of a filter tap index outside [0, len) back into the line (the spline's
 * symmetric extension used by modes 'constant', 'nearest' and 'mirror').
 */
export function mirrorIndex(idx: number, len: number): number {
  if (len <= 1) return 0;
  const s2 = 2 * len - 2;
  if (idx < 0) {
    idx = s2 * Math.floor(-idx / s2) + idx;
    return idx <= 1 - len ? idx + s2 : -idx;
  }
  if (idx >= len) {
    idx -= s2 * Math.floor(idx / s2);
    return idx >= len ? s2 - idx : idx;
  }
  return idx;
}
