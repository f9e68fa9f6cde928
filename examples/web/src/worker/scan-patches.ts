import type { Rng } from '@openmind-ssl/core';
import type { LoadedScan } from './open-scan.js';

/**
 * The scan's channels z-scored over their non-zero voxels (nnssl's preprocessing normalises each case the
 * same way), in array-axis order [C, d0, d1, d2].
 */
export function normalizedScan(scan: LoadedScan): Float32Array {
  return normalizeWithStats(scan).volume;
}

/** {@link normalizedScan} with channel 0's mean and standard deviation, to map network values back to intensities. */
export function normalizeWithStats(scan: LoadedScan): { volume: Float32Array; mean: number; std: number } {
  let first: { mean: number; std: number } | undefined;
  const [C, ...spatial] = scan.shape;
  const n = spatial[0]! * spatial[1]! * spatial[2]!;
  const out = new Float32Array(C * n);
  for (let c = 0; c < C; c++) {
    const v = scan.data.subarray(c * n, (c + 1) * n);
    let sum = 0;
    let count = 0;
    for (const x of v) if (x !== 0) (sum += x, count++);
    const mean = count ? sum / count : 0;
    let sq = 0;
    for (const x of v) if (x !== 0) sq += (x - mean) ** 2;
    const std = Math.max(Math.sqrt(count ? sq / count : 0), 1e-8);
    for (let i = 0; i < n; i++) out[c * n + i] = v[i] !== 0 ? (v[i]! - mean) / std : 0;
    first ??= { mean, std };
  }
  return { volume: out, ...first! };
}

/** Copies the `[C, p, p, p]` cube at `start` (zero outside the scan) into `out` at `offset`. */
export function cropCube(volume: Float32Array, shape: readonly number[], start: readonly number[], p: number, out: Float32Array, offset = 0): void {
  const [C, D, H, W] = shape as [number, number, number, number];
  let o = offset;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        for (let k = 0; k < p; k++, o++) {
          const z = start[0]! + i;
          const y = start[1]! + j;
          const x = start[2]! + k;
          out[o] = z >= 0 && z < D && y >= 0 && y < H && x >= 0 && x < W ? volume[((c * D + z) * H + y) * W + x]! : 0;
        }
      }
    }
  }
}

/** The start of a cube of edge `p` centred in the scan (negative where the scan is smaller: zero-padded). */
export function centredStart(shape: readonly number[], p: number): number[] {
  return shape.slice(1).map((n) => Math.floor((n - p) / 2));
}

/** A random start per axis, so the cube lies inside the scan where it fits (nnssl's random crop). */
export function randomStart(shape: readonly number[], p: number, rng: Rng): number[] {
  return shape.slice(1).map((n) => (n > p ? Math.floor(rng.uniform() * (n - p + 1)) : Math.floor((n - p) / 2)));
}

/**
 * Pastes a `[p, p, p]` cube back into a zeroed volume of the scan's spatial shape (array order = file order),
 * each value passed through `map` (e.g. back to scan intensities).
 */
export function pasteCube(cube: Float32Array, shape: readonly number[], start: readonly number[], p: number, map: (v: number, i: number) => number = (v) => v): Float32Array {
  const [, D, H, W] = shape as [number, number, number, number];
  const out = new Float32Array(D * H * W);
  let o = 0;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++, o++) {
        const z = start[0]! + i;
        const y = start[1]! + j;
        const x = start[2]! + k;
        if (z >= 0 && z < D && y >= 0 && y < H && x >= 0 && x < W) out[(z * H + y) * W + x] = map(cube[o]!, o);
      }
    }
  }
  return out;
}
