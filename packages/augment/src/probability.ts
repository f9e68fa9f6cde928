import type { Rng } from '@openmind-ssl/core';
import type { ValueRange } from './types.js';

/**
 * @throws RangeError when `p` is not a probability; never clamps.
 */
export function checkProbability(op: string, field: string, p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`${op}: ${field} must be a probability in [0, 1], but got ${p}.`);
  }
}

/**
 * @throws RangeError when `range` is not [low, high] with finite low <= high (and low >= `min` when given).
 */
export function checkRange(op: string, field: string, range: ValueRange, min = -Infinity): void {
  const [lo, hi] = range;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi && lo >= min)) {
    throw new RangeError(
      `${op}: ${field} must be [low, high] with ${min === -Infinity ? '' : `${min} <= `}low <= high, but got [${lo}, ${hi}].`,
    );
  }
}

/**
 * batchgenerators' draw for multiplicative factors (scale, contrast, gamma): with probability 1/2 and when
 * the range reaches below 1, uniform in [low, 1); otherwise uniform in [max(low, 1), high). So half of the
 * draws shrink and half enlarge, whatever the asymmetry of the range.
 */
export function drawAroundOne(rng: Rng, range: ValueRange): number {
  const [lo, hi] = range;
  if (rng.uniform() < 0.5 && lo < 1) return rng.uniformIn(lo, 1);
  return rng.uniformIn(Math.max(lo, 1), hi);
}
