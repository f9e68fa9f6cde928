import type { Rng } from '@openmind-ssl/core';
import { type Box, randint } from './genesis-plan.js';

/** Windows of nnssl's local pixel shuffling. */
export const SHUFFLE_WINDOWS = 10_000;

/**
 * One shuffle window: size per axis randint(1, dim//10) (at least 1 on axes under 10 voxels, where the
 * original would fail), start randint(0, dim − size).
 */
export function drawShuffleWindow(dims: readonly number[], rng: Rng): Box {
  const size = dims.map((d) => randint(rng, 1, Math.max(1, Math.floor(d / 10))));
  const start = dims.map((d, a) => randint(rng, 0, d - size[a]!));
  return { start: start as Box['start'], size: size as Box['size'] };
}

/**
 * Models Genesis' local pixel shuffling of a [C, X, Y, Z] volume: `windows` random windows, each read from
 * the original volume, its voxels permuted and written into the result (later windows overwrite earlier
 * ones), channel by channel.
 */
export function localPixelShuffle(image: Float32Array, shape: readonly [number, number, number, number], rng: Rng, windows = SHUFFLE_WINDOWS): Float32Array {
  const [c, X, Y, Z] = shape;
  const out = Float32Array.from(image);
  const buffer = new Float32Array(Math.max(1, Math.floor(X / 10)) * Math.max(1, Math.floor(Y / 10)) * Math.max(1, Math.floor(Z / 10)));
  for (let w = 0; w < windows; w++) {
    const { start, size } = drawShuffleWindow([X, Y, Z], rng);
    const n = size[0] * size[1] * size[2];
    for (let ch = 0; ch < c; ch++) {
      const at = (i: number) => (((ch * X + start[0] + Math.floor(i / (size[1] * size[2]))) * Y + start[1] + (Math.floor(i / size[2]) % size[1])) * Z + start[2] + (i % size[2]));
      for (let i = 0; i < n; i++) buffer[i] = image[at(i)]!;
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(0, i + 1);
        const t = buffer[i]!;
        buffer[i] = buffer[j]!;
        buffer[j] = t;
      }
      for (let i = 0; i < n; i++) out[at(i)] = buffer[i]!;
    }
  }
  return out;
}
