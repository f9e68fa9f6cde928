import { describe, expect, it } from 'vitest';
import { rot90Planes } from '../src/rot90.js';

describe('rot90Planes', () => {
  const shape = [1, 1, 1, 2, 2];
  const x = Float32Array.of(1, 2, 3, 4); // [[1, 2], [3, 4]]

  it('should turn counter-clockwise like numpy.rot90', () => {
    expect([...rot90Planes(x, shape, [1])]).toEqual([2, 4, 1, 3]);
    expect([...rot90Planes(x, shape, [2])]).toEqual([4, 3, 2, 1]);
    expect([...rot90Planes(x, shape, [3])]).toEqual([3, 1, 4, 2]);
  });

  it('should give the input back after four turns', () => {
    const once = rot90Planes(x, shape, [1]);
    expect(rot90Planes(rot90Planes(rot90Planes(once, shape, [1]), shape, [1]), shape, [1])).toEqual(x);
  });
});
