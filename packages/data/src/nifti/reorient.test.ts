import { describe, expect, it } from 'vitest';
import type { Affine } from './affine.js';
import { invertAffine, multiplyAffine } from './affine.js';
import { createNiftiImage } from './create-nifti-image.js';
import { orientationCode } from './orientation.js';
import { reorientToRas } from './reorient.js';

const LPS: Affine = [
  [-1, 0, 0, 10],
  [0, -2, 0, 20],
  [0, 0, 3, -5],
  [0, 0, 0, 1],
];
// A sagittal acquisition: the array axes run towards P, I and R.
const PIR: Affine = [
  [0, 0, 1.5, -3],
  [-1, 0, 0, 40],
  [0, -0.8, 0, 12],
  [0, 0, 0, 1],
];

function apply(a: Affine, p: number[]): number[] {
  return [0, 1, 2].map((r) => a[r]![0]! * p[0]! + a[r]![1]! * p[1]! + a[r]![2]! * p[2]! + a[r]![3]!);
}

describe('orientationCode', () => {
  it.each([
    [LPS, 'LPS'],
    [PIR, 'PIR'],
    [[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], 'RAS'],
    // 20° oblique about z still reads as the nearest axes.
    [[[Math.cos(0.35), -Math.sin(0.35), 0, 0], [Math.sin(0.35), Math.cos(0.35), 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], 'RAS'],
  ] as [Affine, string][])('should name the axes of %j as %s', (affine, code) => {
    expect(orientationCode(affine)).toBe(code);
  });
});

describe('reorientToRas', () => {
  describe.each([
    ['LPS', LPS],
    ['PIR', PIR],
  ] as const)('having a %s volume', (_name, affine) => {
    const shape = [5, 4, 3, 2];
    const data = Float32Array.from({ length: 5 * 4 * 3 * 2 }, (_, i) => i);
    const img = createNiftiImage(data, shape, { affine, spacing: [0, 0, 0, 7] });
    const ras = reorientToRas(img);

    it('should report RAS and a permuted shape and spacing', () => {
      expect(ras.orientation).toBe('RAS');
      expect(orientationCode(ras.affine)).toBe('RAS');
      expect(ras.shape.reduce((a, b) => a * b, 1)).toBe(data.length);
      expect(ras.shape[3]).toBe(2);
      expect(ras.spacing[3]).toBe(7);
      expect([...ras.spacing.slice(0, 3)].sort()).toEqual([...img.spacing.slice(0, 3)].sort());
    });

    it('should keep every voxel at the same world position', () => {
      // new voxel -> world (new affine) -> old voxel (inverse old affine) must hold the same value.
      const toOld = multiplyAffine(invertAffine(img.affine), ras.affine);
      const [nx, ny, nz] = ras.shape as [number, number, number];
      for (let t = 0; t < 2; t++) {
        for (let z = 0; z < nz; z++) {
          for (let y = 0; y < ny; y++) {
            for (let x = 0; x < nx; x++) {
              const o = apply(toOld, [x, y, z]).map((v) => Math.round(v * 1e6) / 1e6);
              o.forEach((v) => expect(Number.isInteger(v)).toBe(true));
              const oldFlat = o[0]! + 5 * (o[1]! + 4 * (o[2]! + 3 * t));
              expect(ras.data[x + nx * (y + ny * (z + nz * t))]).toBe(data[oldFlat]);
            }
          }
        }
      }
    });

    it('should write a header whose sform is the new affine', () => {
      expect(ras.header.srowX).toEqual(ras.affine[0]);
      expect(ras.header.dim.slice(0, 5)).toEqual([4, ...ras.shape]);
    });
  });

  it('should return the same image when it is already RAS', () => {
    const img = createNiftiImage(new Uint8Array(8), [2, 2, 2]);
    expect(reorientToRas(img)).toBe(img);
  });
});
