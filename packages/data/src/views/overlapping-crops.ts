import { OpenMindError, type Rng, type SampledViews, type SourceSample, type ViewSampler } from '@openmind-ssl/core';
import type { Shape3 } from '../preprocess/volume.js';
import { boxRow, checkCropFits, cutBox, intersectionVolume, type Box3 } from './crop-box.js';

/** Options of {@link overlappingCropsSampler}. */
export interface OverlappingCropsOptions {
  /** Size of every crop (SimCLR: [64, 64, 64]). */
  cropSize: Shape3;
  /** Crop pairs per sample (SimCLR `num_crops_per_image`: 2). Default 1. */
  pairs?: number;
  /** Least overlap per axis as a fraction of the crop (SimCLR `min_crop_overlap`: 0.5). Default 0.5. */
  minOverlap?: number;
}

/**
 * Pairs of overlapping crops, as nnssl's SimCLR transform cuts them: a reference crop uniformly inside the
 * loaded patch, and per axis an overlapping crop shifted by at most `crop − ⌊crop·minOverlap⌋` voxels (and
 * kept inside), so the two share at least ⌊crop·minOverlap⌋ voxels along every axis.
 *
 * Views: `reference` and `overlap`, `pairs` crops each (crop j of one pairs with crop j of the other).
 * Targets: `referenceBoxes` and `overlapBoxes` int32 [pairs, 6] (`[x0, y0, z0, x1, y1, z1]` in the loaded
 * patch, end exclusive), `overlapFractions` float32 [pairs] (shared voxels / crop voxels).
 */
export function overlappingCropsSampler(options: OverlappingCropsOptions): ViewSampler {
  const size = [...options.cropSize] as Shape3;
  const pairs = options.pairs ?? 1;
  const minOverlap = options.minOverlap ?? 0.5;
  if (!Number.isInteger(pairs) || pairs < 1) throw new OpenMindError(`overlappingCropsSampler: pairs must be a positive integer, but got ${pairs}.`);
  if (!(minOverlap >= 0 && minOverlap <= 1)) throw new OpenMindError(`overlappingCropsSampler: minOverlap must be in [0, 1], but got ${minOverlap}.`);
  const maxShift = size.map((s) => s - Math.floor(s * minOverlap)) as Shape3;
  return {
    name: 'overlapping-crops',
    sample(source: SourceSample, rng: Rng): SampledViews {
      checkCropFits('overlappingCropsSampler', source.shape, size);
      const free = [0, 1, 2].map((d) => source.shape[d + 1]! - size[d]!);
      const refs: Box3[] = [];
      const overlaps: Box3[] = [];
      for (let j = 0; j < pairs; j++) {
        const ref = [0, 1, 2].map((d) => rng.int(0, free[d]! + 1)) as Shape3;
        const other = [0, 1, 2].map((d) => rng.int(Math.max(0, ref[d]! - maxShift[d]!), Math.min(free[d]!, ref[d]! + maxShift[d]!) + 1)) as Shape3;
        refs.push({ start: ref, size });
        overlaps.push({ start: other, size });
      }
      const voxels = size[0] * size[1] * size[2];
      return {
        views: { reference: refs.map((b) => cutBox(source, b)), overlap: overlaps.map((b) => cutBox(source, b)) },
        targets: {
          referenceBoxes: { data: Int32Array.from(refs.flatMap(boxRow)), shape: [pairs, 6] },
          overlapBoxes: { data: Int32Array.from(overlaps.flatMap(boxRow)), shape: [pairs, 6] },
          overlapFractions: { data: Float32Array.from(refs, (r, j) => intersectionVolume(r, overlaps[j]!) / voxels), shape: [pairs] },
        },
      };
    },
  };
}
