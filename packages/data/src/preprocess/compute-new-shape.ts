import type { Shape3 } from './volume.js';

/** Python's `round()` on a float: to the nearest integer, ties to even (2.5 → 2, 3.5 → 4). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * The shape after resampling, as nnU-Net's `compute_new_shape`: `round(spacing / newSpacing · shape)` per
 * axis, evaluated in that order and rounded like Python (ties to even), so the shapes match nnssl's.
 * Never less than 1.
 */
export function computeNewShape(shape: readonly number[], spacing: readonly number[], newSpacing: readonly number[]): Shape3 {
  const out = [0, 1, 2].map((i) => Math.max(1, roundHalfEven((spacing[i]! / newSpacing[i]!) * shape[i]!)));
  return [out[0]!, out[1]!, out[2]!];
}
