import { describe, expect, it } from 'vitest';
import { Rng } from '@openmind-ssl/core';
import { randomVolume } from '../test-helpers.js';
import { channelStats } from './channel-stats.js';
import { ContrastTransform, adjustContrast } from './contrast.js';

const shape = [1, 8, 8, 8] as const;
const image = randomVolume(512, 31);

describe('adjustContrast', () => {
  it('should preserve the original range when increasing contrast', () => {
    const out = adjustContrast(image, shape, [1.25], true);
    const before = channelStats(image, 0, 512);
    const after = channelStats(out, 0, 512);
    expect(after.min).toBe(before.min);
    expect(after.max).toBe(before.max);
    expect(after.std).toBeGreaterThan(before.std);
  });

  it('should keep the mean and scale the std when reducing contrast', () => {
    const before = channelStats(image, 0, 512);
    const after = channelStats(adjustContrast(image, shape, [0.8]), 0, 512);
    expect(after.mean).toBeCloseTo(before.mean, 5);
    expect(after.std).toBeCloseTo(before.std * 0.8, 5);
  });

  it('should leave channels with a null factor', () => {
    expect(adjustContrast(image, shape, [null])).toEqual(image);
  });
});

describe('ContrastTransform', () => {
  it('should fire with probability p ± 0.02 over 10,000 draws', () => {
    const t = new ContrastTransform({ p: 0.15 });
    const rng = new Rng(32);
    let fired = 0;
    for (let i = 0; i < 10_000; i++) if (t.draw(rng, 1)) fired++;
    expect(Math.abs(fired / 10_000 - 0.15)).toBeLessThan(0.02);
  });
});
