import { f32 } from './wgsl-util.js';

/** Maclaurin coefficients of erf: 2/√π · (−1)ⁿ / (n! (2n+1)), n = 0…11 (the 12th term is below 2e-9 for |x| < 1). */
function maclaurin(): number[] {
  const out: number[] = [];
  let factorial = 1;
  for (let n = 0; n < 12; n++) {
    if (n > 0) factorial *= n;
    out.push((2 / Math.sqrt(Math.PI)) * ((n % 2 === 0 ? 1 : -1) / (factorial * (2 * n + 1))));
  }
  return out;
}

/**
 * WGSL has no erf. Below |x| = 1 the Maclaurin series (in Horner form over x²) is accurate to a few
 * float32 ulps, since its terms shrink fast and cancel little. From 1 on, erf ≥ 0.84 and the rational
 * approximation of Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7) keeps the relative error below
 * 2e-7; past |x| = 4 the result rounds to ±1 in float32 anyway.
 */
export function erfWgsl(): string {
  const c = maclaurin();
  let horner = f32(c[c.length - 1]!);
  for (let n = c.length - 2; n >= 0; n--) horner = `fma(${horner}, x2, ${f32(c[n]!)})`;
  return `fn erf_f(x: f32) -> f32 {
  let ax = abs(x);
  if (ax < 1.0) {
    let x2 = x * x;
    return x * ${horner};
  }
  let t = 1.0 / fma(0.3275911, ax, 1.0);
  let p = t * fma(t, fma(t, fma(t, fma(t, 1.061405429, -1.453152027), 1.421413741), -0.284496736), 0.254829592);
  let r = 1.0 - p * exp(-ax * ax);
  return select(r, -r, x < 0.0);
}`;
}
