import type { Augmentation, Rng, Sample } from '@openmind-ssl/core';
import type { VolumeShape, VoxelArray } from '../types.js';
import { checkProbability } from '../probability.js';
import { mapMasks } from '../map-masks.js';
import { validateSample } from '../validate-sample.js';

/** A spatial axis of a (C, X, Y, Z) volume: 0 = X, 1 = Y, 2 = Z. */
export type SpatialAxis = 0 | 1 | 2;

/**
 * Reverses a (C, X, Y, Z) volume along the given spatial axes (all at once). Works for images and labels.
 * @param data - [C, X, Y, Z] row-major voxels; the result has the same element type and shape.
 * @param axes - spatial axes to flip; an empty list copies.
 */
export function mirror<T extends VoxelArray>(data: T, shape: VolumeShape, axes: readonly SpatialAxis[]): T {
  const [C, X, Y, Z] = shape;
  const fx = axes.includes(0);
  const fy = axes.includes(1);
  const fz = axes.includes(2);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  for (let c = 0; c < C; c++) {
    for (let x = 0; x < X; x++) {
      const sx = fx ? X - 1 - x : x;
      for (let y = 0; y < Y; y++) {
        const sy = fy ? Y - 1 - y : y;
        const src = ((c * X + sx) * Y + sy) * Z;
        const dst = ((c * X + x) * Y + y) * Z;
        // Plain loops: a subarray per row costs more than the copy for short rows.
        if (!fz) {
          for (let z = 0; z < Z; z++) out[dst + z] = data[src + z]!;
        } else {
          for (let z = 0; z < Z; z++) out[dst + z] = data[src + Z - 1 - z]!;
        }
      }
    }
  }
  return out;
}

/** Options of {@link MirrorTransform} (batchgenerators `MirrorTransform`). */
export interface MirrorTransformOptions {
  /** Spatial axes that may flip; each flips independently with probability 1/2. Default [0, 1, 2]. */
  axes?: readonly SpatialAxis[];
  /** Probability that the transform runs on a sample at all. Default 1. */
  p?: number;
}

/**
 * Random mirroring: per sample (probability `p`), each listed axis flips with probability 1/2; masks flip
 * with the image.
 */
export class MirrorTransform implements Augmentation {
  readonly name = 'mirror';
  readonly axes: readonly SpatialAxis[];
  readonly p: number;

  constructor(options: MirrorTransformOptions = {}) {
    this.axes = options.axes ?? [0, 1, 2];
    this.p = options.p ?? 1;
    checkProbability('MirrorTransform', 'p', this.p);
    for (const a of this.axes) {
      if (a !== 0 && a !== 1 && a !== 2) throw new RangeError(`MirrorTransform: axes must be spatial axes 0, 1 or 2, but got ${a}.`);
    }
  }

  /** Draws the axes to flip; null when the transform does not run or no axis was drawn. */
  draw(rng: Rng): SpatialAxis[] | null {
    if (!(rng.uniform() < this.p)) return null;
    const flips = this.axes.filter(() => rng.uniform() < 0.5);
    return flips.length > 0 ? flips : null;
  }

  apply(sample: Sample, rng: Rng): Sample {
    validateSample('MirrorTransform', sample);
    const axes = this.draw(rng);
    if (!axes) return sample;
    const [, X, Y, Z] = sample.shape;
    const masks = mapMasks(sample.masks, (d, ch) => mirror(d, [ch, X, Y, Z], axes));
    return { image: mirror(sample.image, sample.shape, axes), shape: sample.shape, ...(masks ? { masks } : {}) };
  }
}
