import { describe, expect, it } from 'vitest';
import { erf } from './erf.js';

// Values from CPython's math.erf (correctly rounded to about 1 ulp).
const KNOWN: [number, number][] = [
  [-5.5, -0.9999999999999927], [-3, -0.9999779095030014], [-1.5, -0.9661051464753108],
  [-0.5, -0.5204998778130465], [-1e-3, -0.0011283787909692365], [0, 0], [1e-8, 1.1283791670955126e-8],
  [0.3, 0.3286267594591274], [1, 0.8427007929497149], [2, 0.9953222650189527], [2.5, 0.999593047982555],
  [3.7, 0.9999998328489421], [4.5, 0.9999999998033839], [5.9, 0.9999999999999999],
];

describe('erf', () => {
  it('should agree with math.erf to 1e-14 absolute over [-6, 6]', () => {
    for (const [x, want] of KNOWN) expect(Math.abs(erf(x) - want), `erf(${x})`).toBeLessThan(1e-14);
  });

  it('should be ±1 beyond |x| = 6, odd, and NaN for NaN', () => {
    expect(erf(7)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(-0.7)).toBe(-erf(0.7));
    expect(erf(NaN)).toBeNaN();
  });
});
