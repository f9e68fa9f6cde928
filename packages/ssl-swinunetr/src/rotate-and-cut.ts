import { rot90 } from '@openmind-ssl/augment';
import type { Rng } from '@openmind-ssl/core';

/** One view of a batch: every sample rotated, and the same with cutouts; [N, C, X, Y, Z] row-major. */
export interface SwinView {
  rotated: Float32Array;
  cutout: Float32Array;
  /** Quarter turns of each sample in its (Y, Z) plane. */
  rotations: Int32Array;
}

/**
 * MONAI's patch_rand_drop on one sample [C, X, Y, Z] in place: boxes (start ~ U{0 … dim − tol}, edge
 * ~ U{tol … ⌊dim/4⌋}, clipped to the volume; tol = ⌊dim/20⌋) are filled until at least U(0, maxDrop) of
 * the volume is covered — with N(0, 1) noise min-max scaled to [0, 1], or with the same box of `from`.
 */
export function patchRandDrop(x: Float32Array, shape: readonly [number, number, number, number], rng: Rng, maxDrop: number, from?: Float32Array): void {
  const [c, X, Y, Z] = shape;
  const dims = [X, Y, Z];
  const target = rng.uniformIn(0, maxDrop) * X * Y * Z;
  const tol = dims.map((d) => Math.floor(0.05 * d));
  const block = dims.map((d) => Math.floor(0.25 * d));
  let covered = 0;
  // Python's randint is inclusive at both ends.
  const randint = (lo: number, hi: number) => rng.int(lo, hi + 1);
  while (covered < target) {
    const lo = dims.map((d, a) => randint(0, d - tol[a]!));
    const hi = dims.map((d, a) => Math.min(randint(tol[a]!, Math.max(tol[a]!, block[a]!)) + lo[a]!, d));
    const size = hi.map((h, a) => h - lo[a]!);
    const count = c * size[0]! * size[1]! * size[2]!;
    let fill: Float32Array | undefined;
    if (!from) {
      fill = Float32Array.from({ length: count }, () => rng.normal());
      let mn = Infinity;
      let mx = -Infinity;
      for (const v of fill) { mn = Math.min(mn, v); mx = Math.max(mx, v); }
      for (let i = 0; i < fill.length; i++) fill[i] = (fill[i]! - mn) / (mx - mn || 1);
    }
    let f = 0;
    for (let ch = 0; ch < c; ch++) for (let i = lo[0]!; i < hi[0]!; i++) for (let j = lo[1]!; j < hi[1]!; j++) {
      const row = ((ch * X + i) * Y + j) * Z;
      for (let k = lo[2]!; k < hi[2]!; k++) x[row + k] = fill ? fill[f++]! : from![row + k]!;
    }
    covered += size[0]! * size[1]! * size[2]!;
  }
}

/**
 * nnssl's SwinUNETRTransform on a batch (nnssl-spec §3.9): each sample turned by k·90° (k ~ U{0…3}) in its
 * (Y, Z) plane (numpy.rot90 on axes (2, 3) of [C, X, Y, Z]); then, sample by sample in order, cut out with
 * noise boxes and, when a randomly drawn other sample j ≠ i, with boxes copied from j's (already cut, when
 * j < i) view.
 * @param image [N, C, X, Y, Z] row-major, Y = Z
 */
export function rotateAndCut(image: Float32Array, shape: readonly [number, number, number, number, number], rng: Rng, maxDrop: number): SwinView {
  const [n, c, X, Y, Z] = shape;
  const size = c * X * Y * Z;
  const rotated = new Float32Array(image.length);
  const rotations = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    rotations[i] = rng.int(0, 4);
    rotated.set(rot90(image.subarray(i * size, (i + 1) * size), [c, X, Y, Z], rotations[i]!, [1, 2]).data, i * size);
  }
  const cutout = rotated.slice();
  for (let i = 0; i < n; i++) {
    const own = cutout.subarray(i * size, (i + 1) * size);
    patchRandDrop(own, [c, X, Y, Z], rng, maxDrop);
    const j = rng.int(0, n);
    if (j !== i) patchRandDrop(own, [c, X, Y, Z], rng, maxDrop, cutout.slice(j * size, (j + 1) * size));
  }
  return { rotated, cutout, rotations };
}
