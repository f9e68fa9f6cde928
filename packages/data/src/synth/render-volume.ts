import type { Rng } from '@openmind-ssl/core';
import type { SynthContrast } from './contrasts.js';
import { TISSUE_SIGNAL, brainOnly } from './contrasts.js';
import type { HeadAnatomy } from './head-anatomy.js';
import { Tissue, inFaceRegion, isBrain, tissueAt, toHead } from './head-anatomy.js';
import type { SynthGrid } from './synth-grid.js';

/** Calls `fn(index, wx, wy, wz)` for every voxel of the grid, x fastest, with world coordinates in mm. */
function forEachVoxel(grid: SynthGrid, fn: (i: number, x: number, y: number, z: number) => void): void {
  const [nx, ny, nz] = grid.shape;
  const a = grid.affine;
  let i = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      let x = a[0]![1]! * j + a[0]![2]! * k + a[0]![3]!;
      let y = a[1]![1]! * j + a[1]![2]! * k + a[1]![3]!;
      let z = a[2]![1]! * j + a[2]![2]! * k + a[2]![3]!;
      for (let n = 0; n < nx; n++, i++) {
        fn(i, x, y, z);
        x += a[0]![0]!;
        y += a[1]![0]!;
        z += a[2]![0]!;
      }
    }
  }
}

/** Tissue labels sampled at the voxel centres of the grid (uint8, x fastest). */
export function renderLabels(anatomy: HeadAnatomy, grid: SynthGrid): Uint8Array {
  const out = new Uint8Array(grid.shape[0] * grid.shape[1] * grid.shape[2]);
  forEachVoxel(grid, (i, x, y, z) => (out[i] = tissueAt(anatomy, x, y, z)));
  return out;
}

/** The defacing region on the grid: 1 where the face is removed (uint8). */
export function renderFaceMask(anatomy: HeadAnatomy, grid: SynthGrid): Uint8Array {
  const out = new Uint8Array(grid.shape[0] * grid.shape[1] * grid.shape[2]);
  forEachVoxel(grid, (i, x, y, z) => {
    const [hx, hy, hz] = toHead(anatomy, x, y, z);
    out[i] = inFaceRegion(anatomy, hx, hy, hz) ? 1 : 0;
  });
  return out;
}

/** Separable [¼ ½ ¼] smoothing along each axis: a cheap stand-in for partial-volume effects. */
export function smooth3(data: Float32Array, shape: readonly [number, number, number]): Float32Array {
  const [nx, ny] = shape;
  const strides = [1, nx, nx * ny];
  let src: Float32Array = data;
  for (let axis = 0; axis < 3; axis++) {
    const dst = new Float32Array(src.length);
    const n = shape[axis]!;
    const s = strides[axis]!;
    for (let i = 0; i < src.length; i++) {
      const pos = Math.floor(i / s) % n;
      const prev = pos > 0 ? src[i - s]! : src[i]!;
      const next = pos < n - 1 ? src[i + s]! : src[i]!;
      dst[i] = 0.25 * prev + 0.5 * src[i]! + 0.25 * next;
    }
    src = dst;
  }
  return src;
}

/** Options of {@link renderContrast}. */
export interface RenderOptions {
  /** Rician noise level, relative to the brightest tissue. */
  noise: number;
  /** Strength of the smooth multiplicative bias field (0 = none). */
  bias: number;
  /** Overall intensity scale. */
  gain: number;
  /** Keep only the brain (skull-stripped image). */
  brainExtracted: boolean;
  /** Voxels to zero (defacing), or undefined. */
  faceMask: Uint8Array | undefined;
  /** Share of the lesion-to-white-matter signal difference kept (1 = the contrast's table). Default 1. */
  lesionContrast?: number;
}

/**
 * Renders a contrast from a label map: tissue signal, partial-volume smoothing, a smooth bias field (the
 * exponential of a random quadratic in the normalised coordinates), Rician noise, then brain extraction
 * and defacing, which zero voxels as the real tools do.
 */
export function renderContrast(labels: Uint8Array, grid: SynthGrid, contrast: SynthContrast, rng: Rng, options: RenderOptions): Float32Array {
  const base = TISSUE_SIGNAL[contrast];
  const k = options.lesionContrast ?? 1;
  const table = base.map((v, label) => (label === Tissue.Lesion ? base[Tissue.WhiteMatter]! + k * (v - base[Tissue.WhiteMatter]!) : v));
  const brain = options.brainExtracted || brainOnly(contrast);
  let img: Float32Array = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) img[i] = table[labels[i]!]!;
  img = smooth3(img, grid.shape);
  const c = Array.from({ length: 9 }, () => rng.normal(0, options.bias));
  const [nx, ny, nz] = grid.shape;
  const sigma = options.noise * Math.max(...table);
  let i = 0;
  for (let k = 0; k < nz; k++) {
    const w = (2 * k) / (nz - 1) - 1;
    for (let j = 0; j < ny; j++) {
      const v = (2 * j) / (ny - 1) - 1;
      for (let n = 0; n < nx; n++, i++) {
        const u = (2 * n) / (nx - 1) - 1;
        const field = Math.exp(c[0]! * u + c[1]! * v + c[2]! * w + c[3]! * u * v + c[4]! * v * w + c[5]! * u * w + c[6]! * u * u + c[7]! * v * v + c[8]! * w * w);
        const s = img[i]! * field;
        // Magnitude of a complex signal with Gaussian noise in both channels: Rician, never negative.
        const re = s + rng.normal(0, sigma);
        const im = rng.normal(0, sigma);
        let value = Math.hypot(re, im) * options.gain;
        if (brain && !isBrain(labels[i]!)) value = 0;
        if (options.faceMask && options.faceMask[i]) value = 0;
        img[i] = value;
      }
    }
  }
  return img;
}
