/**
 * Rotates every [H, W] plane of an [N, C, D, H, W] volume by k quarter turns (counter-clockwise, as
 * numpy.rot90 on axes (H, W)); sample n turns by ks[n]. H must equal W so shapes do not change.
 */
export function rot90Planes(src: Float32Array, shape: readonly number[], ks: readonly number[]): Float32Array {
  const [n, c, d, h, w] = shape as [number, number, number, number, number];
  if (h !== w) throw new Error(`rot90Planes: planes must be square, got ${h}×${w}`);
  const out = new Float32Array(src.length);
  const plane = h * w;
  for (let s = 0; s < n; s++) {
    const k = ((ks[s]! % 4) + 4) % 4;
    for (let p = 0; p < c * d; p++) {
      const base = (s * c * d + p) * plane;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        // Source pixel that lands on (y, x) after k counter-clockwise turns.
        const [sy, sx] = k === 0 ? [y, x] : k === 1 ? [x, w - 1 - y] : k === 2 ? [h - 1 - y, w - 1 - x] : [h - 1 - x, y];
        out[base + y * w + x] = src[base + sy * w + sx]!;
      }
    }
  }
  return out;
}
