import type { Rng, Sample, SampledViews, SourceSample, ViewSampler } from '@openmind-ssl/core';
import { turnPlanes } from './turn-plane.js';

/** Copies the box at `start` of size `size` out of a sample's image and masks. */
function cut(sample: Sample, start: readonly number[], size: readonly [number, number, number]): Sample {
  const [, X, Y, Z] = sample.shape;
  const [px, py, pz] = size;
  const copy = <T extends Float32Array | Uint8Array | Int32Array>(src: T, channels: number): T => {
    const out = new (src.constructor as new (n: number) => T)(channels * px * py * pz);
    for (let c = 0; c < channels; c++) for (let x = 0; x < px; x++) for (let y = 0; y < py; y++) {
      const from = ((c * X + start[0]! + x) * Y + start[1]! + y) * Z + start[2]!;
      out.set(src.subarray(from, from + pz), ((c * px + x) * py + y) * pz);
    }
    return out;
  };
  const masks: NonNullable<Sample['masks']> = {};
  for (const [name, m] of Object.entries(sample.masks ?? {})) masks[name] = { data: copy(m.data, m.channels), channels: m.channels };
  return { image: copy(sample.image, sample.shape[0]), shape: [sample.shape[0], px, py, pz], masks };
}

/** Turns a sample (image and masks) by k quarter turns in its (Y, Z) plane. */
function turn(sample: Sample, k: number): Sample {
  const [c, x, y, z] = sample.shape;
  const masks: NonNullable<Sample['masks']> = {};
  for (const [name, m] of Object.entries(sample.masks ?? {})) masks[name] = { data: turnPlanes(m.data, [m.channels, x, y, z], k), channels: m.channels };
  return { image: turnPlanes(sample.image, [c, x, y, z], k), shape: sample.shape, masks };
}

/**
 * The view sampler of the two-view method, built in the data workers: crop `a` uniformly inside the loaded
 * patch, crop `b` shifted from it by at most half a crop per axis (so the two overlap), then `b` turned by
 * k·90° in its (Y, Z) plane — the batch's (H, W) — with k drawn from the sample's rng.
 * Views: `a`, `b` (one crop each). Target: `turn` = k, int32 [1].
 */
export function twoViewSampler(cropSize: readonly [number, number, number]): ViewSampler {
  const size = [...cropSize] as [number, number, number];
  if (size[1] !== size[2]) throw new Error(`twoViewSampler: crops must be square in (Y, Z) to be turned, got [${size.join(', ')}]`);
  return {
    name: 'two-view',
    sample(source: SourceSample, rng: Rng): SampledViews {
      const free = size.map((s, d) => source.shape[d + 1]! - s);
      if (free.some((f) => f < 0)) {
        throw new Error(`twoViewSampler: crops of [${size.join(', ')}] must fit the loaded patch [${source.shape.slice(1).join(', ')}]`);
      }
      const a = free.map((f) => rng.int(0, f + 1));
      const b = a.map((s, d) => rng.int(Math.max(0, s - (size[d]! >> 1)), Math.min(free[d]!, s + (size[d]! >> 1)) + 1));
      const k = rng.int(0, 4);
      return {
        views: { a: [cut(source, a, size)], b: [turn(cut(source, b, size), k)] },
        targets: { turn: { data: Int32Array.of(k), shape: [1] } },
      };
    },
  };
}
