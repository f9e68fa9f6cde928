/** Pole of the cubic B-spline interpolation prefilter, √3 − 2. */
const POLE = Math.sqrt(3) - 2;
/** Gain (1 − z)(1 − 1/z) = 6 that makes the recursive filter an exact inverse of the B-spline sampling. */
export const CUBIC_PREFILTER_GAIN = (1 - POLE) * (1 - 1 / POLE);
/** Terms after which z^k < 1e-20: the causal initial sum is exact to double precision when cut here. */
const HORIZON = 36;

/**
 * Turns samples into cubic B-spline coefficients along the middle axis of a `[outer, n, inner]` array,
 * in place, with half-sample symmetric ("reflect") boundaries. This is what scipy's `spline_filter1d`
 * does for `mode='nearest'` (it uses the reflect initialisation for that mode); the caller pads the line
 * with edge values first, as `scipy.ndimage.zoom` does, so the boundary rule barely matters.
 *
 * The input must already be multiplied by {@link CUBIC_PREFILTER_GAIN} (the caller folds that into its
 * padding copy). Loops run across `inner` innermost, so a row-major volume is filtered a plane or a row
 * at a time with contiguous memory access.
 */
export function cubicPrefilterAxis(a: Float64Array, outer: number, n: number, inner: number): void {
  if (n === 1) return;
  const z = POLE;
  const lineStride = n * inner;
  const acc = new Float64Array(inner);
  // c+[0] = Σ_k z^k x_ext[−k] for the symmetric extension; beyond HORIZON terms the sum no longer changes.
  const exact = n <= HORIZON;
  const zn = exact ? z ** n : 0;
  const terms = exact ? n : HORIZON;
  const scale = z / (1 - zn * zn);
  for (let o = 0; o < outer; o++) {
    const base = o * lineStride;
    const last = base + (n - 1) * inner;
    for (let j = 0; j < inner; j++) acc[j] = a[base + j]! + zn * a[last + j]!;
    let zi = z;
    for (let i = 1; i < terms; i++) {
      const p = base + i * inner;
      if (exact) {
        const q = base + (n - 1 - i) * inner;
        for (let j = 0; j < inner; j++) acc[j]! += zi * (a[p + j]! + zn * a[q + j]!);
      } else {
        for (let j = 0; j < inner; j++) acc[j]! += zi * a[p + j]!;
      }
      zi *= z;
    }
    for (let j = 0; j < inner; j++) a[base + j] = acc[j]! * scale + a[base + j]!;
    if (inner === 1) {
      for (let i = base + 1; i <= last; i++) a[i]! += z * a[i - 1]!;
      a[last]! *= z / (z - 1);
      for (let i = last - 1; i >= base; i--) a[i] = z * (a[i + 1]! - a[i]!);
      continue;
    }
    for (let p = base + inner; p <= last; p += inner) {
      for (let j = 0; j < inner; j++) a[p + j]! += z * a[p - inner + j]!;
    }
    for (let j = 0; j < inner; j++) a[last + j]! *= z / (z - 1);
    for (let p = last - inner; p >= base; p -= inner) {
      for (let j = 0; j < inner; j++) a[p + j] = z * (a[p + inner + j]! - a[p + j]!);
    }
  }
}

/** Writes the four cubic B-spline weights for fractional offset `t` ∈ [0, 1) into `w` at `at`. */
export function cubicWeights(t: number, w: Float64Array, at: number): void {
  const u = 1 - t;
  const t2 = t * t;
  w[at] = (u * u * u) / 6;
  w[at + 1] = (3 * t2 * t - 6 * t2 + 4) / 6;
  w[at + 2] = (-3 * t2 * t + 3 * t2 + 3 * t + 1) / 6;
  w[at + 3] = (t2 * t) / 6;
}
