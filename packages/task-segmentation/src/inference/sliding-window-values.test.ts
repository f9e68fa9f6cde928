import { describe, expect, it } from 'vitest';
import { gaussianImportanceMap } from './gaussian-importance.js';
import { roundToFloat16 } from './half-precision-round.js';
import { mirrorSubsets } from './mirror.js';
import { paddingToPatch } from './pad-to-patch.js';
import { tileGrid, tileStarts } from './tile-starts.js';

// Worked values of finetune-spec §1.9 and §4 (P = 160, step 0.5).
describe('tileStarts', () => {
  it.each([
    [160, [0]],
    [161, [0, 1]],
    [200, [0, 40]],
    [240, [0, 80]],
    [241, [0, 40, 81]],
    [300, [0, 70, 140]],
    [512, [0, 70, 141, 211, 282, 352]],
  ])('should start the tiles of a %i-voxel axis at the spec values', (length, expected) => {
    expect(tileStarts(length, 160, 0.5)).toEqual(expected);
  });

  it('should refuse an axis shorter than the patch (it must be padded first)', () => {
    expect(() => tileStarts(100, 160)).toThrow(/padded to at least the patch/);
  });

  it('should enumerate tiles with the last axis fastest', () => {
    expect(tileGrid([160, 200, 161], [160, 160, 160])).toEqual([[0, 0, 0], [0, 0, 1], [0, 40, 0], [0, 40, 1]]);
  });
});

describe('paddingToPatch', () => {
  it('should pad diff // 2 below and the rest above, only axes shorter than the patch', () => {
    expect(paddingToPatch([5, 10, 7], [8, 8, 8])).toEqual([[1, 2], [0, 0], [0, 1]]);
  });
});

describe('gaussianImportanceMap', () => {
  const g = gaussianImportanceMap([160, 160, 160]);
  const at = (map: Float32Array, i: number, j: number, k: number) => map[(i * 160 + j) * 160 + k]!;

  it.each([
    [[80, 80, 80], 10.0],
    [[0, 80, 80], 3.3546e-3],
    [[0, 0, 80], 1.1254e-6],
    [[0, 0, 0], 3.775e-10],
  ])('should equal the spec value at %j to 4 significant digits', (idx, value) => {
    const [i, j, k] = idx as [number, number, number];
    expect(Math.abs(at(g, i, j, k) - value) / value).toBeLessThan(2e-4);
  });

  it('should follow 10·exp(−d²/2σ²) along an axis through the centre (σ = 20)', () => {
    for (const [d, v] of [[20, 6.07], [40, 1.35], [60, 0.111]] as const) {
      expect(at(g, 80 + d, 80, 80)).toBeCloseTo(v, 2);
    }
  });

  it('should, cast to float16 as nnU-Net does, replace the 17,721 corner zeros by the smallest half (6e-8)', () => {
    const half = gaussianImportanceMap([160, 160, 160], { precision: 'float16' });
    const smallest = 2 ** -24;
    let underflowed = 0;
    let atSmallest = 0;
    for (let i = 0; i < half.length; i++) {
      if (roundToFloat16(g[i]!) === 0) {
        underflowed++;
        expect(half[i]).toBe(smallest);
      }
      if (half[i] === smallest) atSmallest++;
    }
    // numpy: 17,721 fp16 zeros, and 19,384 voxels that were already 6e-8.
    expect(underflowed).toBe(17_721);
    expect(atSmallest).toBe(17_721 + 19_384);
    expect(at(half, 0, 0, 0)).toBe(smallest);
    expect(at(half, 80, 80, 80)).toBe(10);
  });

  it('should use σ = P/8 per axis for an anisotropic patch', () => {
    const m = gaussianImportanceMap([8, 16, 16]);
    // One voxel from the centre: exp(−1/(2·1²)) along the 8-axis (σ 1), exp(−1/(2·2²)) along a 16-axis (σ 2).
    expect(m[((4 + 1) * 16 + 8) * 16 + 8]! / 10).toBeCloseTo(Math.exp(-0.5), 6);
    expect(m[(4 * 16 + 8 + 1) * 16 + 8]! / 10).toBeCloseTo(Math.exp(-0.125), 6);
  });
});

describe('roundToFloat16', () => {
  it('should round to the nearest half, ties to even, subnormals included', () => {
    expect(roundToFloat16(1 + 2 ** -11)).toBe(1); // tie → even
    expect(roundToFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    expect(roundToFloat16(3.775e-10)).toBe(0);
    expect(roundToFloat16(1.1254e-6)).toBe(19 * 2 ** -24);
    expect(roundToFloat16(10)).toBe(10);
  });
});

describe('mirrorSubsets', () => {
  it('should give the 7 non-empty subsets of 3 axes, by size (8 passes with the plain one)', () => {
    expect(mirrorSubsets([0, 1, 2])).toEqual([[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]]);
    expect(mirrorSubsets([])).toEqual([]);
  });
});
