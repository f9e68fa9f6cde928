import { describe, expect, it } from 'vitest';
import { Rng } from '@openmind-ssl/core';
import { BrightnessMultiplicativeTransform, multiplyBrightness } from './brightness-multiplicative.js';

describe('multiplyBrightness', () => {
  it('should scale each channel by its multiplier', () => {
    const out = multiplyBrightness(Float32Array.of(1, 2, 3, 4), [2, 2, 1, 1], [2, 0.5]);
    expect(Array.from(out)).toEqual([2, 4, 1.5, 2]);
  });
});

describe('BrightnessMultiplicativeTransform', () => {
  it('should fire with probability p ± 0.02 over 10,000 draws, multipliers within range', () => {
    const t = new BrightnessMultiplicativeTransform({ multiplierRange: [0.75, 1.25], p: 0.15 });
    const rng = new Rng(71);
    let fired = 0;
    let bad = 0;
    for (let i = 0; i < 10_000; i++) {
      const m = t.draw(rng, 2);
      if (!m) continue;
      fired++;
      if (m.some((v) => v < 0.75 || v >= 1.25)) bad++;
    }
    expect(Math.abs(fired / 10_000 - 0.15)).toBeLessThan(0.02);
    expect(bad).toBe(0);
  });
});
