import { describe, expect, it } from 'vitest';
import { Rng } from '@openmind-ssl/core';
import { fixtureVolume, loadScipyFixture, maxAbsDiff, randomVolume } from '../test-helpers.js';
import { SimulateLowResolutionTransform, simulateLowResolution } from './simulate-low-resolution.js';

describe('simulateLowResolution', () => {
  it.each(loadScipyFixture().lowResolution.map((c) => [c.orderDownsample, c.orderUpsample, c] as const))(
    'should match skimage resize (scipy zoom, grid mode, edge) down with order %i and up with order %i',
    (_d, _u, c) => {
      const out = simulateLowResolution(fixtureVolume(1, c.shape), [1, ...c.shape], [c.target], c);
      expect(maxAbsDiff(out, c.image)).toBeLessThan(1e-5);
    },
  );

  it('should be the identity at zoom 1', () => {
    const image = randomVolume(9 * 8 * 7, 61);
    const out = simulateLowResolution(image, [1, 9, 8, 7], [[9, 8, 7]], { orderDownsample: 0, orderUpsample: 3 });
    expect(maxAbsDiff(out, image)).toBeLessThan(1e-5);
  });
});

describe('SimulateLowResolutionTransform', () => {
  it('should fire with probability p ± 0.02 over 10,000 draws and draw targets within the zoom range', () => {
    const t = new SimulateLowResolutionTransform({ zoomRange: [0.5, 1], perChannel: true, p: 0.25 });
    const rng = new Rng(62);
    let fired = 0;
    let bad = 0;
    for (let i = 0; i < 10_000; i++) {
      const targets = t.draw(rng, [1, 64, 64, 64]);
      if (!targets) continue;
      fired++;
      if (targets[0]!.some((d) => d < 32 || d > 64)) bad++;
    }
    expect(Math.abs(fired / 10_000 - 0.25)).toBeLessThan(0.02);
    expect(bad).toBe(0);
  });
});
