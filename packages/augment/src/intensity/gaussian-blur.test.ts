import { describe, expect, it } from 'vitest';
import { Rng } from '@openmind-ssl/core';
import { fixtureVolume, loadScipyFixture, maxAbsDiff } from '../test-helpers.js';
import { GaussianBlurTransform, gaussianBlur, gaussianHalfKernel } from './gaussian-blur.js';

describe('gaussianBlur', () => {
  it('should match scipy.ndimage.gaussian_filter (reflect, truncate 4) with per-axis sigma', () => {
    const { shape, sigma, image } = loadScipyFixture().gaussianBlur;
    const out = gaussianBlur(fixtureVolume(1, shape), [1, ...shape], [sigma]);
    expect(maxAbsDiff(out, image)).toBeLessThan(1e-5);
  });

  it('should keep a constant image and skip null channels', () => {
    const image = new Float32Array(2 * 6 * 5 * 4).fill(2);
    image.fill(7, 120);
    const out = gaussianBlur(image, [2, 6, 5, 4], [[1, 1, 1], null]);
    expect(maxAbsDiff(out, image)).toBeLessThan(1e-6);
  });

  it('should use radius int(4σ + 0.5) and a kernel summing to 1', () => {
    const w = gaussianHalfKernel(0.9);
    expect(w.length - 1).toBe(4);
    expect(w.reduce((s, v, i) => s + (i === 0 ? v : 2 * v), 0)).toBeCloseTo(1, 12);
  });
});

describe('GaussianBlurTransform', () => {
  it('should fire with probability p ± 0.02 over 10,000 draws', () => {
    const t = new GaussianBlurTransform({ blurSigma: [0.5, 1], p: 0.2 });
    const rng = new Rng(51);
    let fired = 0;
    for (let i = 0; i < 10_000; i++) if (t.draw(rng, 1)) fired++;
    expect(Math.abs(fired / 10_000 - 0.2)).toBeLessThan(0.02);
  });
});
