import { Rng } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { drawGenesisPlan, type GenesisPlan, NNSSL_GENESIS_RATES } from './genesis-plan.js';

const DRAWS = 10_000;
const plans = (dims: [number, number, number], axes = [1, 2, 3]): GenesisPlan[] => {
  const rng = new Rng(7);
  return Array.from({ length: DRAWS }, () => drawGenesisPlan(dims, NNSSL_GENESIS_RATES, axes, rng));
};
const share = (xs: GenesisPlan[], f: (p: GenesisPlan) => boolean) => xs.filter(f).length / xs.length;

describe('drawGenesisPlan', () => {
  describe('having nnssl rates, over 10,000 draws', () => {
    const ps = plans([160, 160, 160]);
    // Each rate within ±0.02 (at least 5 standard errors at n ≥ 9,000).
    it('should flip at least once at 0.4, again at 0.4 of those, and never more than 3 times', () => {
      expect(share(ps, (p) => p.flips.length >= 1)).toBeCloseTo(0.4, 1);
      expect(Math.abs(share(ps, (p) => p.flips.length >= 1) - 0.4)).toBeLessThan(0.02);
      const once = ps.filter((p) => p.flips.length >= 1);
      expect(Math.abs(share(once, (p) => p.flips.length >= 2) - 0.4)).toBeLessThan(0.02);
      expect(Math.max(...ps.map((p) => p.flips.length))).toBe(3);
    });

    it('should shuffle at 0.5, map intensities at 0.9 (inverted in half of those) and paint at 0.9 (in-painting in 0.2 of those)', () => {
      expect(Math.abs(share(ps, (p) => p.localShuffle) - 0.5)).toBeLessThan(0.02);
      expect(Math.abs(share(ps, (p) => p.nonlinear !== null) - 0.9)).toBeLessThan(0.02);
      expect(Math.abs(share(ps.filter((p) => p.nonlinear), (p) => p.nonlinear!.inverted) - 0.5)).toBeLessThan(0.02);
      expect(Math.abs(share(ps, (p) => p.painting !== null) - 0.9)).toBeLessThan(0.02);
      expect(Math.abs(share(ps.filter((p) => p.painting), (p) => p.painting!.kind === 'in') - 0.2)).toBeLessThan(0.02);
    });

    it('should draw in-painting boxes of 26…53 voxels per axis (at most 5) and out-painting boxes of 69…92 (1 to 5), starting 3…dim − size − 3', () => {
      for (const kind of ['in', 'out'] as const) {
        const [lo, hi, most, least] = kind === 'in' ? [26, 53, 5, 0] : [69, 92, 5, 1];
        const boxes = ps.filter((p) => p.painting?.kind === kind).map((p) => p.painting!.boxes);
        expect(Math.max(...boxes.map((b) => b.length))).toBe(most);
        expect(Math.min(...boxes.map((b) => b.length))).toBe(least);
        const all = boxes.flat();
        const sizes = all.flatMap((b) => b.size);
        expect([Math.min(...sizes), Math.max(...sizes)]).toEqual([lo, hi]);
        expect(all.every((b) => b.start.every((s, a) => s >= 3 && s <= 160 - b.size[a]! - 3))).toBe(true);
      }
    });
  });

  it('should flip along X, Y, Z by default and along (channel, X, Y) as nnssl with its axes', () => {
    expect(new Set(plans([16, 16, 16]).flatMap((p) => p.flips))).toEqual(new Set([1, 2, 3]));
    expect(new Set(plans([16, 16, 16], [0, 1, 2]).flatMap((p) => p.flips))).toEqual(new Set([0, 1, 2]));
  });

  it('should draw the same plan from the same generator state', () => {
    const a = drawGenesisPlan([32, 32, 32], NNSSL_GENESIS_RATES, [1, 2, 3], new Rng(3));
    const b = drawGenesisPlan([32, 32, 32], NNSSL_GENESIS_RATES, [1, 2, 3], new Rng(3));
    expect({ ...a, bulk: a.bulk.state() }).toEqual({ ...b, bulk: b.bulk.state() });
  });
});
