import { describe, expect, it } from 'vitest';
import { Rng } from '@openmind-ssl/core';
import { channelStats } from './channel-stats.js';
import { GaussianNoiseTransform, addGaussianNoise } from './gaussian-noise.js';

describe('addGaussianNoise', () => {
  it('should add zero-mean noise with the requested std to the selected channels only', () => {
    const image = new Float32Array(2 * 16 ** 3).fill(3);
    const out = addGaussianNoise(image, [2, 16, 16, 16], [0.5, null], new Rng(41));
    const noisy = channelStats(out, 0, 16 ** 3);
    expect(noisy.mean).toBeCloseTo(3, 1);
    expect(Math.abs(noisy.std / 0.5 - 1)).toBeLessThan(0.03);
    expect(out.subarray(16 ** 3)).toEqual(image.subarray(16 ** 3));
  });

  it('should be a deterministic function of the generator state', () => {
    const image = new Float32Array(99);
    expect(addGaussianNoise(image, [1, 11, 9, 1], [1], new Rng(5))).toEqual(addGaussianNoise(image, [1, 11, 9, 1], [1], new Rng(5)));
  });
});

describe('GaussianNoiseTransform', () => {
  it('should fire with probability p ± 0.02 over 10,000 draws and draw std in range', () => {
    const t = new GaussianNoiseTransform({ p: 0.1 });
    const rng = new Rng(42);
    let fired = 0;
    let outOfRange = 0;
    for (let i = 0; i < 10_000; i++) {
      const s = t.draw(rng, 1);
      if (!s) continue;
      fired++;
      if (!(s[0]! >= 0 && s[0]! < 0.1)) outOfRange++;
    }
    expect(Math.abs(fired / 10_000 - 0.1)).toBeLessThan(0.02);
    expect(outOfRange).toBe(0);
  });
});
