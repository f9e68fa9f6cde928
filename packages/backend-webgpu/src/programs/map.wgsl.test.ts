import { describe, expect, it } from 'vitest';
import { collapseAxes } from './map.wgsl.js';

describe('collapseAxes', () => {
  it('should merge a same-shape element-wise op into one axis', () => {
    const c = collapseAxes([2, 3, 4], [{ strides: [12, 4, 1], offset: 0 }, { strides: [12, 4, 1], offset: 0 }]);
    expect(c.shape).toEqual([24]);
    expect(c.views.map((v) => v.strides)).toEqual([[1], [1]]);
  });

  it('should keep apart axes where a broadcast operand repeats', () => {
    // [2, 3, 4] + [3, 1]: the second operand has stride 0 along the last axis.
    const c = collapseAxes([2, 3, 4], [{ strides: [12, 4, 1], offset: 0 }, { strides: [0, 1, 0], offset: 0 }]);
    expect(c.shape).toEqual([2, 3, 4]);
  });

  it('should drop size-1 axes', () => {
    const c = collapseAxes([1, 5, 1], [{ strides: [5, 1, 1], offset: 0 }]);
    expect(c.shape).toEqual([5]);
  });

  it('should not merge across an axis that is padded', () => {
    const c = collapseAxes([4, 6], [
      { strides: [4, 1], offset: -1, bounds: [[0, 4], [1, 5]] },
      { strides: [6, 1], offset: 0 },
    ]);
    expect(c.shape).toEqual([4, 6]);
    expect(c.views[0]!.bounds).toEqual([[0, 4], [1, 5]]);
  });
});
