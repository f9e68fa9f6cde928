import { Rng } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { addGaussianNoise } from '../src/noise.js';

describe('addGaussianNoise', () => {
  const image = new Float32Array(50_000).fill(2);

  it('should add zero-mean noise of the requested standard deviation (±2 % on 50k voxels)', () => {
    const noisy = addGaussianNoise(image, 0.5, new Rng(1));
    const diff = Array.from(noisy, (v, i) => v - image[i]!);
    const mean = diff.reduce((a, b) => a + b, 0) / diff.length;
    const std = Math.sqrt(diff.reduce((a, b) => a + (b - mean) ** 2, 0) / diff.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(std).toBeGreaterThan(0.49);
    expect(std).toBeLessThan(0.51);
  });

  it('should draw the same noise for the same seed and leave the input untouched', () => {
    expect(addGaussianNoise(image, 0.5, new Rng(7))).toEqual(addGaussianNoise(image, 0.5, new Rng(7)));
    expect(addGaussianNoise(image, 0.5, new Rng(7))).not.toEqual(addGaussianNoise(image, 0.5, new Rng(8)));
    expect(image.every((v) => v === 2)).toBe(true);
  });
});
