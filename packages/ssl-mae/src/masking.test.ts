import { Rng } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { blockMask } from './masking.js';

describe('blockMask', () => {
  it('should hide exactly floor(ratio · cells) whole 16³ blocks of a 160³ patch (750 of 1000)', () => {
    const m = blockMask([160, 160, 160], 16, 0.75, new Rng(1));
    const hidden = m.reduce((s, v) => s + (v ? 0 : 1), 0);
    expect(hidden).toBe(750 * 16 ** 3);
    // Every 16³ block is constant.
    for (const [z, y, x] of [[0, 0, 0], [16, 32, 48], [144, 144, 144]]) {
      const v = m[(z! * 160 + y!) * 160 + x!];
      for (let dz = 0; dz < 16; dz += 5) for (let dy = 0; dy < 16; dy += 5) for (let dx = 0; dx < 16; dx += 5) {
        expect(m[((z! + dz) * 160 + y! + dy) * 160 + x! + dx]).toBe(v);
      }
    }
  });

  it('should draw different masks from different generator states and equal ones from equal seeds', () => {
    const a = blockMask([32, 32, 32], 8, 0.5, new Rng(3));
    const b = blockMask([32, 32, 32], 8, 0.5, new Rng(3));
    const c = blockMask([32, 32, 32], 8, 0.5, new Rng(4));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('should stretch cells when the patch is not a multiple of the block (block 64 on 160 gives 80³ cells)', () => {
    const m = blockMask([160, 160, 160], 64, 0.5, new Rng(2));
    const hidden = m.reduce((s, v) => s + (v ? 0 : 1), 0);
    expect(hidden).toBe(4 * 80 ** 3);
  });

  it('should refuse a mask that would hide nothing (one cell)', () => {
    expect(() => blockMask([16, 16, 16], 16, 0.75, new Rng(0))).toThrow(/has 1 mask cell\(s\) of 16³, so a ratio of 0.75 hides none; lower blockSize/);
  });

  it('should refuse a patch smaller than one block', () => {
    expect(() => blockMask([8, 32, 32], 16, 0.75, new Rng(0))).toThrow(/smaller than one mask block of 16/);
  });
});
