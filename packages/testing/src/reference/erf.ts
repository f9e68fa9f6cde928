const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * The error function to about 1e-15 absolute. Uses the series
 * erf(x) = 2/√π · e^(−x²) · Σₙ (2x²)ⁿ · x / (1·3·…·(2n+1)), whose terms are all positive, so unlike the
 * Maclaurin series it does not lose digits to cancellation for large |x|. Beyond |x| = 6, 1 − erf(x) is
 * below 1e-16 and the value is ±1.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  const twoX2 = 2 * ax * ax;
  let term = ax;
  let sum = ax;
  for (let n = 1; n < 500 && term > 1e-17 * sum; n++) {
    term *= twoX2 / (2 * n + 1);
    sum += term;
  }
  const value = TWO_OVER_SQRT_PI * Math.exp(-ax * ax) * sum;
  return x < 0 ? -value : value;
}
