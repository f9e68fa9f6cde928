import type { Sample } from '@openmind-ssl/core';
import { bezierMapping } from './bezier.js';
import type { GenesisPlan } from './genesis-plan.js';
import { localPixelShuffle } from './local-shuffle.js';
import { paint } from './painting.js';

/**
 * How intensities meet the transforms, which Models Genesis designed for [0, 1] images: 'unit' rescales
 * each channel of the sample by its min and max to [0, 1], corrupts, and maps back (the method's intent);
 * 'raw' corrupts the z-scored values as they are (nnssl, where most voxels fall outside the Bézier
 * curve's [0, 1] and clamp to its end points, and painting noise is U[0, 1)).
 */
export type GenesisIntensity = 'unit' | 'raw';

/** Reverses a [C, X, Y, Z] array along one axis of it (0 = channel). */
function flipAxis<T extends Float32Array | Uint8Array | Int32Array>(data: T, shape: readonly number[], axis: number): T {
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const len = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < len; k++) {
      const src = (o * len + k) * inner;
      out.set(data.subarray(src, src + inner), (o * len + (len - 1 - k)) * inner);
    }
  }
  return out;
}

/** Per-channel [min, max]. */
function channelRange(image: Float32Array, c: number): [number, number][] {
  const per = image.length / c;
  return Array.from({ length: c }, (_, ch) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = ch * per; i < (ch + 1) * per; i++) {
      lo = Math.min(lo, image[i]!);
      hi = Math.max(hi, image[i]!);
    }
    return [lo, hi];
  });
}

/**
 * Applies a drawn Models Genesis corruption to one sample: the flips to image and masks alike (they give
 * the target), then local shuffling, the Bézier mapping and painting to the network input only.
 * @returns `target` (the flipped original, with flipped masks) and `input` (its corrupted copy, same masks)
 */
export function corruptSample(sample: Sample, plan: GenesisPlan, intensity: GenesisIntensity): { input: Sample; target: Sample } {
  const shape = sample.shape;
  let target: Float32Array = sample.image;
  const masks: NonNullable<Sample['masks']> = {};
  for (const [name, m] of Object.entries(sample.masks ?? {})) masks[name] = { data: m.data, channels: m.channels };
  for (const axis of plan.flips) {
    target = flipAxis(target, shape, axis);
    for (const m of Object.values(masks)) m.data = flipAxis(m.data, [m.channels, ...shape.slice(1)], axis);
  }
  const c = shape[0];
  const per = target.length / c;
  const ranges = intensity === 'unit' ? channelRange(target, c) : null;
  let x: Float32Array = new Float32Array(target);
  if (ranges) {
    for (let i = 0; i < x.length; i++) {
      const [lo, hi] = ranges[Math.floor(i / per)]!;
      x[i] = hi > lo ? (x[i]! - lo) / (hi - lo) : 0;
    }
  }
  if (plan.localShuffle) x = localPixelShuffle(x, shape, plan.bulk);
  if (plan.nonlinear) {
    const map = bezierMapping(plan.nonlinear.points, plan.nonlinear.inverted);
    for (let i = 0; i < x.length; i++) x[i] = map(x[i]!);
  }
  if (plan.painting) x = paint(x, shape, plan.painting.kind, plan.painting.boxes, plan.bulk);
  if (ranges) for (let i = 0; i < x.length; i++) { const [lo, hi] = ranges[Math.floor(i / per)]!; x[i] = lo + x[i]! * (hi - lo); }
  return { input: { image: x, shape, masks }, target: { image: target, shape, masks } };
}
