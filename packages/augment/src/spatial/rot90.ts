import type { Augmentation, Rng, Sample } from '@openmind-ssl/core';
import type { VolumeShape, VoxelArray } from '../types.js';
import type { SpatialAxis } from './mirror.js';
import { checkProbability } from '../probability.js';
import { mapMasks } from '../map-masks.js';
import { validateSample } from '../validate-sample.js';

/**
 * Rotates a (C, X, Y, Z) volume by k·90° in the plane of two spatial axes, with numpy's `rot90(m, k, axes)`
 * direction (from the first axis towards the second). For odd k the two axes swap sizes.
 * @param data - [C, X, Y, Z] row-major voxels (image or labels).
 * @param k - number of quarter turns; any integer (taken mod 4).
 * @param axes - the two distinct spatial axes of the rotation plane.
 * @returns the rotated voxels (same element type) and their shape.
 */
export function rot90<T extends VoxelArray>(
  data: T,
  shape: VolumeShape,
  k: number,
  axes: readonly [SpatialAxis, SpatialAxis],
): { data: T; shape: VolumeShape } {
  const [a, b] = axes;
  if (a === b) throw new RangeError(`rot90: axes must be two different spatial axes, but got [${a}, ${b}].`);
  const turns = ((k % 4) + 4) % 4;
  const inSpatial = [shape[1], shape[2], shape[3]];
  const outSpatial = inSpatial.slice();
  if (turns % 2 === 1) {
    outSpatial[a] = inSpatial[b]!;
    outSpatial[b] = inSpatial[a]!;
  }
  const [C] = shape;
  const [X, Y, Z] = outSpatial as [number, number, number];
  const na = inSpatial[a]!;
  const nb = inSpatial[b]!;
  const inStrides = [inSpatial[1]! * inSpatial[2]!, inSpatial[2]!, 1];
  const sa = inStrides[a]!;
  const sb = inStrides[b]!;
  // The source index is linear in the output position: start + Σ_d v_d · step[d] (numpy rot90 semantics:
  // k = 1: w_a = v_b, w_b = nb-1-v_a; k = 2: both reversed; k = 3: w_a = na-1-v_b, w_b = v_a).
  const step = inStrides.slice();
  let start = 0;
  if (turns === 1) { start = (nb - 1) * sb; step[a] = -sb; step[b] = sa; }
  else if (turns === 2) { start = (na - 1) * sa + (nb - 1) * sb; step[a] = -sa; step[b] = -sb; }
  else if (turns === 3) { start = (na - 1) * sa; step[a] = sb; step[b] = -sa; }
  const [t0, t1, t2] = step as [number, number, number];
  const channelSize = X * Y * Z;
  const out = new (data.constructor as new (n: number) => T)(data.length);
  let o = 0;
  for (let c = 0; c < C; c++) {
    for (let x = 0; x < X; x++) {
      for (let y = 0; y < Y; y++) {
        let src = c * channelSize + start + x * t0 + y * t1;
        for (let z = 0; z < Z; z++, o++, src += t2) out[o] = data[src]!;
      }
    }
  }
  return { data: out, shape: [C, X, Y, Z] };
}

/** Options of {@link Rot90Transform} (batchgenerators `Rot90Transform`). */
export interface Rot90TransformOptions {
  /** Numbers of quarter turns to choose from, uniformly. Default [1, 2, 3]. */
  numRot?: readonly number[];
  /** Spatial axes; two distinct ones are drawn (sorted) as the rotation plane. Default [0, 1, 2]. */
  axes?: readonly SpatialAxis[];
  /** Probability per sample. Default 0.3. */
  p?: number;
}

/** Parameters drawn by {@link Rot90Transform}. */
export interface Rot90Params {
  k: number;
  axes: [SpatialAxis, SpatialAxis];
}

/** Random 90° rotations in a random plane of the listed axes; masks rotate with the image. */
export class Rot90Transform implements Augmentation {
  readonly name = 'rot90';
  readonly numRot: readonly number[];
  readonly axes: readonly SpatialAxis[];
  readonly p: number;

  constructor(options: Rot90TransformOptions = {}) {
    this.numRot = options.numRot ?? [1, 2, 3];
    this.axes = [...new Set<SpatialAxis>(options.axes ?? [0, 1, 2])];
    this.p = options.p ?? 0.3;
    checkProbability('Rot90Transform', 'p', this.p);
    if (this.numRot.length === 0 || !this.numRot.every(Number.isInteger)) {
      throw new RangeError(`Rot90Transform: numRot must be a non-empty list of integers, but got [${this.numRot.join(', ')}].`);
    }
    if (this.axes.length < 2 || !this.axes.every((a) => a === 0 || a === 1 || a === 2)) {
      throw new RangeError(`Rot90Transform: axes must list at least two distinct spatial axes (0, 1, 2), but got [${this.axes.join(', ')}].`);
    }
  }

  /** Draws the number of turns and the plane; null when the transform does not run. */
  draw(rng: Rng): Rot90Params | null {
    if (!(rng.uniform() < this.p)) return null;
    const k = this.numRot[rng.int(0, this.numRot.length)]!;
    const order = rng.permutation(this.axes.length);
    const first = this.axes[order[0]!]!;
    const second = this.axes[order[1]!]!;
    return { k, axes: first < second ? [first, second] : [second, first] };
  }

  apply(sample: Sample, rng: Rng): Sample {
    validateSample('Rot90Transform', sample);
    const params = this.draw(rng);
    if (!params) return sample;
    const [, X, Y, Z] = sample.shape;
    const image = rot90(sample.image, sample.shape, params.k, params.axes);
    const masks = mapMasks(sample.masks, (d, ch) => rot90(d, [ch, X, Y, Z], params.k, params.axes).data);
    return { image: image.data, shape: image.shape, ...(masks ? { masks } : {}) };
  }
}
