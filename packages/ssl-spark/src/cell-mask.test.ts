import { Rng } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { drawCellMask } from './cell-mask.js';

describe('drawCellMask', () => {
  it("should hide floor(ratio · cells) cells per sample, independently per sample (nnssl's 160³/16 grid: 750 of 1000)", () => {
    const m = drawCellMask(3, [160, 160, 160], 16, 0.75, new Rng(1));
    expect(m.grid).toEqual([10, 10, 10]);
    for (let s = 0; s < 3; s++) expect(m.visible.subarray(s * 1000, (s + 1) * 1000).reduce((a, b) => a + b, 0)).toBe(250);
    expect(Array.from(m.visible.subarray(0, 1000))).not.toEqual(Array.from(m.visible.subarray(1000, 2000)));
  });

  it('should be the same for the same seed', () => {
    expect(drawCellMask(2, [32, 32, 32], 8, 0.75, new Rng(4)).visible).toEqual(drawCellMask(2, [32, 32, 32], 8, 0.75, new Rng(4)).visible);
  });

  it('should refuse a block larger than the patch and a ratio that hides nothing, naming the field', () => {
    expect(() => drawCellMask(1, [16, 16, 16], 32, 0.75, new Rng(0))).toThrow(/blockSize must be at most the patch's smallest side, but got 32/);
    expect(() => drawCellMask(1, [16, 16, 16], 16, 0.75, new Rng(0))).toThrow(/has 1 mask cell\(s\) of 16³, so maskRatio 0.75 hides none/);
  });
});
