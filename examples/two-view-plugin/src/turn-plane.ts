/**
 * Turns every [Y, Z] plane of a [L, X, Y, Z] volume by k quarter turns (counter-clockwise, as numpy.rot90
 * on axes (Y, Z)); L stacks channels and samples. Y must equal Z so the shape does not change.
 * Works for images and masks alike.
 */
export function turnPlanes<T extends Float32Array | Uint8Array | Int32Array>(src: T, shape: readonly [number, number, number, number], k: number): T {
  const [l, x, y, z] = shape;
  if (y !== z) throw new Error(`turnPlanes: the turned plane must be square, got ${y}×${z}`);
  const turns = ((k % 4) + 4) % 4;
  const out = new (src.constructor as new (n: number) => T)(src.length);
  const n = y;
  for (let p = 0; p < l * x; p++) {
    const base = p * n * n;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      // The source voxel that lands on (i, j) after `turns` counter-clockwise quarter turns.
      const [si, sj] = turns === 0 ? [i, j] : turns === 1 ? [j, n - 1 - i] : turns === 2 ? [n - 1 - i, n - 1 - j] : [n - 1 - j, i];
      out[base + i * n + j] = src[base + si * n + sj]!;
    }
  }
  return out;
}
