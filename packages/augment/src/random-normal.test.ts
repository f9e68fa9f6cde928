import { describe, expect, it } from 'vitest';
import { Rng } from '@openmind-ssl/core';
import { standardNormal } from './random-normal.js';

describe('standardNormal', () => {
  it('should follow N(0, 1): moments and the mass within 1, 2 and beyond 3 standard deviations', () => {
    const rng = new Rng(101);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    let within1 = 0;
    let within2 = 0;
    let beyond3 = 0;
    for (let i = 0; i < n; i++) {
      const z = standardNormal(rng);
      sum += z;
      sq += z * z;
      if (Math.abs(z) < 1) within1++;
      if (Math.abs(z) < 2) within2++;
      if (Math.abs(z) > 3) beyond3++;
    }
    // Tolerances are about 4 standard errors of each estimate at n = 200,000.
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(sq / n) - 1)).toBeLessThan(0.01);
    expect(Math.abs(within1 / n - 0.6827)).toBeLessThan(0.005);
    expect(Math.abs(within2 / n - 0.9545)).toBeLessThan(0.002);
    expect(Math.abs(beyond3 / n - 0.0027)).toBeLessThan(0.0005);
  });
});
