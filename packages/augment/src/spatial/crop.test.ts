import { describe, expect, it } from 'vitest';
import { centerCropStart, cropVolume } from './crop.js';

describe('cropVolume', () => {
  it('should copy the box and pad outside voxels with the fill value', () => {
    const data = new Uint8Array(2 * 3 * 3 * 3).map((_, i) => i + 1);
    const out = cropVolume(data, [2, 3, 3, 3], [-1, 1, 2], [2, 2, 2], 99);
    expect(out).toBeInstanceOf(Uint8Array);
    // x = -1 is outside; x = 0 reads (y 1..2, z 2..3) where z = 3 is outside.
    expect(Array.from(out.subarray(0, 8))).toEqual([99, 99, 99, 99, 6, 99, 9, 99]);
    expect(out[8 + 4]).toBe(27 + 6);
  });
});

describe('centerCropStart', () => {
  it("should floor (shape - size) / 2 like batchgenerators' center crop", () => {
    expect(centerCropStart([257, 257, 257], [160, 160, 160])).toEqual([48, 48, 48]);
    expect(centerCropStart([10, 9, 8], [12, 9, 5])).toEqual([-1, 0, 1]);
  });
});
