import type { DType, Shape } from '@openmind-ssl/core';
import { stridesOf } from '@openmind-ssl/core';

/**
 * Elementwise closeness: |actual − expected| ≤ rtol·|expected| + atol. NaN matches only NaN, an infinity
 * only the same infinity.
 */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/**
 * The tolerance for a backend: rtol = atol = `capabilities.floatPrecision` (1e-4 for float32 compute).
 * The absolute part can be that small because every case draws its inputs so that outputs are O(1)
 * (conv and matmul weights are scaled by 1/√fan-in). Integer dtypes and `exact` cases compare exactly.
 */
export function toleranceFor(floatPrecision: number, dtype: DType, exact = false): Tolerance {
  return dtype === 'float32' && !exact ? { rtol: floatPrecision, atol: floatPrecision } : { rtol: 0, atol: 0 };
}

export function isClose(actual: number, expected: number, tol: Tolerance): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= tol.rtol * Math.abs(expected) + tol.atol;
}

/**
 * Describes how `actual` differs from `expected` (same length, row-major `shape`): an empty list when all
 * values are close, else one line with the count and up to `maxListed` offending positions, worst first.
 */
export function compareValues(
  actual: ArrayLike<number>, expected: ArrayLike<number>, shape: Shape, tol: Tolerance, maxListed = 4,
): string[] {
  const bad: { i: number; err: number }[] = [];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!isClose(a, e, tol)) bad.push({ i, err: Number.isNaN(a - e) ? Infinity : Math.abs(a - e) });
  }
  if (bad.length === 0) return [];
  bad.sort((p, q) => q.err - p.err);
  const strides = stridesOf(shape);
  const where = (i: number) => `[${strides.map((s, k) => Math.floor(i / s) % shape[k]!).join(', ')}]`;
  const listed = bad.slice(0, maxListed).map(({ i }) => `at ${where(i)} got ${actual[i]} expected ${expected[i]}`);
  return [
    `${bad.length} of ${expected.length} values differ beyond |a − e| ≤ ${tol.rtol}·|e| + ${tol.atol}: ${listed.join('; ')}`,
  ];
}
