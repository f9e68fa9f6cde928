import { describe, expect, it } from 'vitest';
import { planReduce } from './reduce.js';

describe('planReduce', () => {
  it('should merge the spatial axes of an NCDHW reduction into one reduced group', () => {
    const p = planReduce([2, 3, 4, 5, 6], [2, 3, 4]);
    expect(p.keptShape).toEqual([6]);
    expect(p.reducedShape).toEqual([120]);
    expect(p.reducedStrides).toEqual([1]);
    expect(p.kept).toBe(6);
    expect(p.reduced).toBe(120);
  });

  it('should keep alternating kept and reduced groups with their strides', () => {
    const p = planReduce([2, 3, 4, 5], [1, 3]);
    expect(p.keptShape).toEqual([2, 4]);
    expect(p.keptStrides).toEqual([60, 5]);
    expect(p.reducedShape).toEqual([3, 5]);
    expect(p.reducedStrides).toEqual([20, 1]);
  });

  it('should count a reduction over size-1 axes as one element per output', () => {
    const p = planReduce([3, 1, 4], [1]);
    expect(p.reduced).toBe(1);
    expect(p.reducedShape).toEqual([]);
    expect(p.keptShape).toEqual([12]);
  });
});
