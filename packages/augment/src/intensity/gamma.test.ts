import { describe, expect, it } from 'vitest';
import { Rng } from '@openmind-ssl/core';
import { randomVolume } from '../test-helpers.js';
import { channelStats } from './channel-stats.js';
import { GammaTransform, adjustGamma } from './gamma.js';

const shape = [2, 8, 8, 8] as const;
const n = 512;
const image = randomVolume(2 * n, 21).map((v, i) => (i < n ? v * 3 + 1 : Math.exp(v)));

describe('adjustGamma', () => {
  it.each([false, true])('should keep each channel mean and std with retainStats (invert %s)', (invert) => {
    const out = adjustGamma(image, shape, [0.7, 1.5], { retainStats: true, invert });
    for (let c = 0; c < 2; c++) {
      const before = channelStats(image, c * n, n);
      const after = channelStats(out, c * n, n);
      expect(after.mean).toBeCloseTo(before.mean, 5);
      expect(after.std / before.std).toBeCloseTo(1, 5);
    }
    expect(out).not.toEqual(image);
  });

  it('should be the identity for gamma 1 and stay within the range otherwise', () => {
    const same = adjustGamma(image, shape, [1, 1]);
    for (let i = 0; i < image.length; i++) expect(same[i]).toBeCloseTo(image[i]!, 5);
    const bent = adjustGamma(image, shape, 1.8);
    const s = channelStats(image, 0, image.length);
    const b = channelStats(bent, 0, bent.length);
    expect(b.min).toBeGreaterThanOrEqual(s.min - 1e-6);
    expect(b.max).toBeLessThanOrEqual(s.max + 1e-6);
    // gamma > 1 on the [0, 1]-normalised range pulls values towards the minimum.
    expect(b.mean).toBeLessThan(s.mean);
  });

  it('should bend the bright end instead when inverted', () => {
    const plain = channelStats(adjustGamma(image, shape, 1.8), 0, 2 * n);
    const inverted = channelStats(adjustGamma(image, shape, 1.8, { invert: true }), 0, 2 * n);
    expect(inverted.mean).toBeGreaterThan(plain.mean);
  });
});

describe('GammaTransform', () => {
  it('should fire with probability p ± 0.02 over 10,000 draws', () => {
    const t = new GammaTransform({ gammaRange: [0.7, 1.5], p: 0.3, perChannel: true });
    const rng = new Rng(22);
    let fired = 0;
    for (let i = 0; i < 10_000; i++) if (t.draw(rng, 2)) fired++;
    expect(Math.abs(fired / 10_000 - 0.3)).toBeLessThan(0.02);
  });
});
