/** Samples of the Bézier curve (nnssl and the original Models Genesis use 100,000). */
export const BEZIER_SAMPLES = 100_000;

/**
 * The intensity mapping of Models Genesis' non-linear transform: the cubic Bézier curve through
 * [0, 0], [x1, y1], [x2, y2], [1, 1] sampled at `samples` points (Bernstein(i, 3, t) = C(3, i)·t^(3−i)·(1−t)^i),
 * with x sorted ascending and, unless inverted, y sorted too (a monotone increasing map); inverted keeps y
 * in curve order, which makes the map decreasing. Inputs outside [x₀, x_last] clamp to the end values
 * (numpy.interp).
 * @returns a function of one intensity
 */
export function bezierMapping(points: readonly [number, number, number, number], inverted: boolean, samples = BEZIER_SAMPLES): (v: number) => number {
  const px = [0, points[0], points[2], 1];
  const py = [0, points[1], points[3], 1];
  const binom = [1, 3, 3, 1];
  const xs = new Float64Array(samples);
  const ys = new Float64Array(samples);
  for (let k = 0; k < samples; k++) {
    const t = samples === 1 ? 0 : k / (samples - 1);
    let x = 0;
    let y = 0;
    for (let i = 0; i < 4; i++) {
      const b = binom[i]! * t ** (3 - i) * (1 - t) ** i;
      x += px[i]! * b;
      y += py[i]! * b;
    }
    xs[k] = x;
    ys[k] = y;
  }
  xs.sort();
  if (!inverted) ys.sort();
  const last = samples - 1;
  return (v: number) => {
    if (!(v > xs[0]!)) return ys[0]!;
    if (v >= xs[last]!) return ys[last]!;
    // The last k with xs[k] <= v, then linear interpolation to k + 1.
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! <= v) lo = mid;
      else hi = mid;
    }
    const dx = xs[hi]! - xs[lo]!;
    return dx > 0 ? ys[lo]! + ((v - xs[lo]!) / dx) * (ys[hi]! - ys[lo]!) : ys[lo]!;
  };
}
