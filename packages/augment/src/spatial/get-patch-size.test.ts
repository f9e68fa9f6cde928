import { describe, expect, it } from 'vitest';
import { getPatchSize } from './get-patch-size.js';

const rot30: [number, number] = [-Math.PI / 6, Math.PI / 6];

describe('getPatchSize', () => {
  it.each([
    [160, 257],
    [96, 154],
    [128, 205],
    [192, 308],
  ])('should enlarge %i³ to %i³ for ±30° rotations and scale (0.85, 1.25) (nnssl §1.4)', (patch, expected) => {
    expect(getPatchSize([patch, patch, patch], rot30, rot30, rot30, [0.85, 1.25])).toEqual([expected, expected, expected]);
  });

  it('should keep the patch when there is no rotation and no downscaling', () => {
    expect(getPatchSize([64, 48, 32], 0, 0, 0, [1, 1.4])).toEqual([64, 48, 32]);
  });

  it('should rotate each axis separately and cap angles at 90°', () => {
    // About axis 2 by 45°, the extent vector becomes (64c + 32s, 32c - 64s) = (67.9, -22.6); each axis keeps
    // the larger of its rotated and original magnitude (nnU-Net's formula, not a true bounding box).
    expect(getPatchSize([64, 32, 16], 0, 0, Math.PI / 4, [1, 1])).toEqual([67, 32, 16]);
    expect(getPatchSize([64, 32, 16], 0, 0, [-3, 3], [1, 1])).toEqual(getPatchSize([64, 32, 16], 0, 0, Math.PI / 2, [1, 1]));
  });

  it('should reject a non-positive scale range', () => {
    expect(() => getPatchSize([16, 16, 16], 0, 0, 0, [0, 1])).toThrow(RangeError);
  });
});
