import type { NiftiTypedArray } from './dtypes.js';

/** Summary statistics of voxel values. */
export interface ImageStats {
  min: number;
  max: number;
  mean: number;
  std: number;
  /** NaN and ±Infinity voxels, which the other figures leave out. */
  nonFinite: number;
  /** Voxels that are exactly zero. */
  zeros: number;
}

/** min, max, mean, std (population) over the finite voxels, in float64. */
export function imageStats(data: NiftiTypedArray): ImageStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  let nonFinite = 0;
  let zeros = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      nonFinite++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0) zeros++;
    sum += v;
    sumSq += v * v;
    n++;
  }
  const mean = n ? sum / n : NaN;
  const variance = n ? Math.max(0, sumSq / n - mean * mean) : NaN;
  return { min: n ? min : NaN, max: n ? max : NaN, mean, std: Math.sqrt(variance), nonFinite, zeros };
}
