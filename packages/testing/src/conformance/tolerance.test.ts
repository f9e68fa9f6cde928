import { describe, expect, it } from 'vitest';
import { compareValues, isClose, toleranceFor } from './tolerance.js';

describe('tolerance', () => {
  describe('isClose', () => {
    const tol = toleranceFor(1e-4, 'float32');

    it('should allow p·|e| + p and not more', () => {
      expect(isClose(100 + 0.0100, 100, tol)).toBe(true); // limit 1e-4·100 + 1e-4 = 0.0101
      expect(isClose(100 + 0.0102, 100, tol)).toBe(false);
      expect(isClose(0.00009, 0, tol)).toBe(true);
      expect(isClose(0.00011, 0, tol)).toBe(false);
    });

    it('should match NaN only with NaN and an infinity only with itself', () => {
      expect(isClose(NaN, NaN, tol)).toBe(true);
      expect(isClose(0, NaN, tol)).toBe(false);
      expect(isClose(NaN, 0, tol)).toBe(false);
      expect(isClose(Infinity, Infinity, tol)).toBe(true);
      expect(isClose(1e38, Infinity, tol)).toBe(false);
    });

    it('should compare integer dtypes and exact cases exactly', () => {
      expect(toleranceFor(1e-4, 'int32')).toEqual({ rtol: 0, atol: 0 });
      expect(toleranceFor(1e-4, 'float32', true)).toEqual({ rtol: 0, atol: 0 });
    });
  });

  describe('compareValues', () => {
    it('should name the count and the worst position first', () => {
      const [line] = compareValues([1, 2.5, 3, 9], [1, 2, 3, 4], [2, 2], toleranceFor(1e-4, 'float32'));
      expect(line).toContain('2 of 4 values differ');
      expect(line).toMatch(/^.*at \[1, 1\] got 9 expected 4; at \[0, 1\] got 2.5 expected 2$/);
    });

    it('should return nothing when all values are close', () => {
      expect(compareValues([1, 2], [1, 2.00001], [2], toleranceFor(1e-4, 'float32'))).toEqual([]);
    });
  });
});
