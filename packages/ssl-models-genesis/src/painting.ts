import type { Rng } from '@openmind-ssl/core';
import type { Box } from './genesis-plan.js';

/** Visits every voxel index of `box` in channel `ch` of a [C, X, Y, Z] volume. */
function forBox(shape: readonly [number, number, number, number], ch: number, box: Box, visit: (i: number) => void): void {
  const [, X, Y, Z] = shape;
  for (let x = box.start[0]; x < box.start[0] + box.size[0]; x++) {
    for (let y = box.start[1]; y < box.start[1] + box.size[1]; y++) {
      const row = ((ch * X + x) * Y + y) * Z;
      for (let z = box.start[2]; z < box.start[2] + box.size[2]; z++) visit(row + z);
    }
  }
}

/**
 * Models Genesis' painting of a [C, X, Y, Z] volume in [0, 1] intensities: in-painting fills each box with
 * U[0, 1) noise; out-painting replaces the whole volume by U[0, 1) noise and restores the boxes from the
 * image. Noise comes from `rng`.
 */
export function paint(image: Float32Array, shape: readonly [number, number, number, number], kind: 'in' | 'out', boxes: readonly Box[], rng: Rng): Float32Array {
  const c = shape[0];
  if (kind === 'in') {
    const out = Float32Array.from(image);
    for (const box of boxes) for (let ch = 0; ch < c; ch++) forBox(shape, ch, box, (i) => (out[i] = rng.uniform()));
    return out;
  }
  const out = rng.fillUniform(new Float32Array(image.length));
  for (const box of boxes) for (let ch = 0; ch < c; ch++) forBox(shape, ch, box, (i) => (out[i] = image[i]!));
  return out;
}
