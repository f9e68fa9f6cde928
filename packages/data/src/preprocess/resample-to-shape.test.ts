import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeNewShape, roundHalfEven } from './compute-new-shape.js';
import { fillHoles } from './fill-holes.js';
import { resampleData, resampleMask, separateZAxis } from './resample-to-shape.js';
import type { SplineOrder } from './resize-axis.js';
import { resizeVolume } from './resize-volume.js';
import type { Shape3 } from './volume.js';

// Reference values from scipy 1.10 (gen_resample_fixtures.py, run once with /usr/bin/python3).
interface Fixtures {
  resize: { shape: Shape3; newShape: Shape3; order: SplineOrder; input: number[]; expected: number[] }[];
  data: { shape: Shape3; spacing: number[]; newSpacing: number[]; newShape: Shape3; separateAxis: number | null; input: number[]; expected: number[] }[];
  mask: { shape: Shape3; spacing: number[]; newSpacing: number[]; newShape: Shape3; input: number[]; expected: number[] }[];
  newShape: { shape: number[]; spacing: number[]; newSpacing: number[]; expected: number[] }[];
  fillHoles: { shape: Shape3; input: number[]; expected: number[] };
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/resample-scipy.json', import.meta.url), 'utf8')) as Fixtures;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A centred Gaussian bump sampled on a grid: smooth, with negligible values at the borders. */
function gaussian(x: number[], centre: number[], sigma: number): number {
  let r2 = 0;
  for (let d = 0; d < 3; d++) r2 += ((x[d]! - centre[d]!) / sigma) ** 2;
  return Math.exp(-r2);
}

describe('resizeVolume', () => {
  describe('having scipy reference values', () => {
    it.each(fx.resize.map((c, i) => [i, c] as const))('should match skimage-style resize case %i to 1e-8', (_i, c) => {
      const out = resizeVolume(Float32Array.from(c.input), c.shape, c.newShape, c.order);
      // The fixture keeps 9 significant digits, so 1e-8 absolute on O(1) values is the storage precision.
      expect(maxAbsDiff(out, c.expected)).toBeLessThan(1e-8);
    });
  });

  describe('having an analytic function', () => {
    // Sampling f = exp(-|x - c|²/σ²) at voxel centres and resizing must give f at the new voxel centres
    // (input coordinate (k + 0.5)·n/m − 0.5). Cubic-spline interpolation error is at most
    // (5/384)·h⁴·max|f⁗| per axis with h = 1 voxel and max|f⁗| = 12/σ⁴ for this f, i.e. 2.5e-4 for σ = 5,
    // so 3 axes give 7.5e-4. Linear interpolation: h²/8·max|f″| = 1/(4σ²) = 0.01 per axis, 0.03 in 3-D.
    const n = 32;
    const sigma = 5;
    const centre = [15, 15, 15];
    const shape: Shape3 = [n, n, n];
    const input = new Float32Array(n * n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) input[(i * n + j) * n + k] = gaussian([i, j, k], centre, sigma);

    it.each([
      [3, [45, 21, 32], 7.5e-4],
      [3, [64, 64, 64], 7.5e-4],
      [1, [45, 21, 32], 0.03],
    ] as const)('should reproduce the function with order %i to %s within the stated bound', (order, newShape, bound) => {
      const res = resizeVolume(input, shape, [...newShape] as Shape3, order);
      expect(res.length).toBe(newShape[0] * newShape[1] * newShape[2]);
      let err = 0;
      for (let i = 0; i < newShape[0]; i++) {
        for (let j = 0; j < newShape[1]; j++) {
          for (let k = 0; k < newShape[2]; k++) {
            const x = [i, j, k].map((v, d) => (v + 0.5) * (n / newShape[d]!) - 0.5);
            const v = res[(i * newShape[1] + j) * newShape[2] + k]!;
            err = Math.max(err, Math.abs(v - gaussian(x, centre, sigma)));
          }
        }
      }
      expect(err).toBeLessThan(bound);
    });
  });
});

describe('resampleData', () => {
  it.each(fx.data.map((c, i) => [i, c] as const))('should match nnU-Net resample_data_or_seg_to_shape case %i', (_i, c) => {
    expect(separateZAxis(c.spacing, c.newSpacing, { forceSeparateZ: null })).toBe(c.separateAxis);
    const out = resampleData(Float32Array.from(c.input), 1, c.shape, c.newShape, c.spacing, c.newSpacing);
    // float32 output of values up to ~4: 2e-6 is a few float32 ulps.
    expect(maxAbsDiff(out, c.expected)).toBeLessThan(2e-6);
  });
});

describe('resampleMask', () => {
  it.each(fx.mask.map((c, i) => [i, c] as const))('should match nnU-Net per-label mask resampling case %i exactly', (_i, c) => {
    const out = resampleMask(Int8Array.from(c.input), c.shape, c.newShape, c.spacing, c.newSpacing);
    expect(Array.from(out)).toEqual(c.expected);
  });
});

describe('computeNewShape', () => {
  it('should round like Python (ties to even)', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 4, 0, 2, 3]);
  });
  it.each(fx.newShape.map((c, i) => [i, c] as const))('should match nnU-Net compute_new_shape case %i', (_i, c) => {
    expect(computeNewShape(c.shape, c.spacing, c.newSpacing)).toEqual(c.expected);
  });
});

describe('fillHoles', () => {
  it('should match scipy binary_fill_holes', () => {
    const { shape, input, expected } = fx.fillHoles;
    const mask = Uint8Array.from(input, (v) => (v !== 0 ? 1 : 0));
    expect(Array.from(fillHoles(mask, shape))).toEqual(expected);
  });
});
