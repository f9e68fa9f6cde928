import { describe, expect, it } from 'vitest';
import { Rng } from '@openmind-ssl/core';
import { powUnitInterval } from './pow-unit.js';

describe('powUnitInterval', () => {
  it('should match Math.pow on [0, 1] to 1e-12 relative for gamma-transform exponents', () => {
    const rng = new Rng(111);
    const base = new Float64Array(20_000).map((_, i) => (i < 10_000 ? rng.uniform() : rng.uniform() ** 8));
    base[0] = 0;
    base[1] = 1;
    base[2] = 1e-300;
    base[3] = Math.SQRT1_2;
    for (const g of [0.5, 0.7, 1, 1.3, 1.5, 2]) {
      const values = base.slice();
      powUnitInterval(values, g);
      let worst = 0;
      for (let i = 0; i < base.length; i++) {
        const expected = Math.pow(base[i]!, g);
        const err = expected === 0 ? Math.abs(values[i]!) : Math.abs(values[i]! / expected - 1);
        worst = Math.max(worst, err);
      }
      expect(worst).toBeLessThan(1e-12);
      expect(values[0]).toBe(0);
      expect(values[1]).toBe(1);
    }
  });
});
