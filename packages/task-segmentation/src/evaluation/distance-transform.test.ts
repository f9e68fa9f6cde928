import { Rng } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { squaredDistanceTransform } from './distance-transform.js';
import { normalizedSurfaceDice } from './surface-dice.js';

describe('squaredDistanceTransform', () => {
  it('should equal brute force with anisotropic spacing on a random feature set', () => {
    const shape = [7, 9, 6] as const;
    const spacing = [2.5, 0.7, 1.1] as const;
    const rng = new Rng(3);
    const feature = Uint8Array.from({ length: 7 * 9 * 6 }, () => (rng.uniform() < 0.04 ? 1 : 0));
    const d2 = squaredDistanceTransform(feature, shape, spacing);
    const features: number[][] = [];
    for (let i = 0; i < 7; i++) for (let j = 0; j < 9; j++) for (let k = 0; k < 6; k++) if (feature[(i * 9 + j) * 6 + k]) features.push([i, j, k]);
    expect(features.length).toBeGreaterThan(2);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 9; j++) for (let k = 0; k < 6; k++) {
      const brute = Math.min(...features.map(([a, b, c]) => ((i - a!) * 2.5) ** 2 + ((j - b!) * 0.7) ** 2 + ((k - c!) * 1.1) ** 2));
      expect(d2[(i * 9 + j) * 6 + k]).toBeCloseTo(brute, 9);
    }
  });

  it('should give Infinity everywhere without features', () => {
    expect([...squaredDistanceTransform(new Uint8Array(8), [2, 2, 2], [1, 1, 1])].every((v) => v === Infinity)).toBe(true);
  });
});

describe('normalizedSurfaceDice', () => {
  const shape = [1, 1, 10] as const;
  const bar = (from: number, to: number) => Uint8Array.from({ length: 10 }, (_, i) => (i >= from && i < to ? 1 : 0));
  it('should count surface voxels within the tolerance in mm', () => {
    // A 1×1×10 volume: every mask voxel touches the edge, so the surfaces are ref {2..5}, pred {4..7}. At 1 mm
    // spacing, ref 3, 4, 5 and pred 4, 5, 6 are within 1 mm of the other surface; 2 and 7 are 2 mm away.
    expect(normalizedSurfaceDice(bar(2, 6), bar(4, 8), shape, [1, 1, 1], 1)).toBeCloseTo(6 / 8, 12);
    // At 0.5 mm spacing, 2 and 7 are 1 mm away, within the tolerance.
    expect(normalizedSurfaceDice(bar(2, 6), bar(4, 8), shape, [1, 1, 0.5], 1)).toBe(1);
  });
  it('should be 1 for two empty masks and 0 when one is empty', () => {
    expect(normalizedSurfaceDice(bar(0, 0), bar(0, 0), shape, [1, 1, 1])).toBe(1);
    expect(normalizedSurfaceDice(bar(2, 4), bar(0, 0), shape, [1, 1, 1])).toBe(0);
  });
});
