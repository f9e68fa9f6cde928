import { describe, expect, it } from 'vitest';
import { Rng } from '@openmind-ssl/core';
import { randomVolume } from '../test-helpers.js';
import { MirrorTransform, mirror } from './mirror.js';

describe('mirror', () => {
  it('should be the identity when applied twice, for images and labels', () => {
    const image = randomVolume(2 * 5 * 4 * 3, 1);
    const labels = new Int32Array(2 * 5 * 4 * 3).map((_, i) => i);
    for (const axes of [[0], [1], [2], [0, 2], [0, 1, 2]] as const) {
      expect(mirror(mirror(image, [2, 5, 4, 3], axes), [2, 5, 4, 3], axes)).toEqual(image);
      expect(mirror(mirror(labels, [2, 5, 4, 3], axes), [2, 5, 4, 3], axes)).toEqual(labels);
    }
  });

  it('should reverse exactly the requested axes', () => {
    // Voxel value encodes its (c, x, y, z) position.
    const shape = [2, 3, 4, 5] as const;
    const data = new Int32Array(120).map((_, i) => i);
    const out = mirror(data, shape, [0, 2]);
    const at = (c: number, x: number, y: number, z: number) => ((c * 3 + x) * 4 + y) * 5 + z;
    expect(out[at(1, 0, 1, 0)]).toBe(at(1, 2, 1, 4));
    expect(out[at(0, 2, 3, 1)]).toBe(at(0, 0, 3, 3));
  });
});

describe('MirrorTransform', () => {
  it('should flip masks together with the image', () => {
    const labels = new Uint8Array(6 * 5 * 4).map((_, i) => i);
    const sample = { image: Float32Array.from(labels), shape: [1, 6, 5, 4] as const, masks: { seg: { data: labels, channels: 1 } } };
    const t = new MirrorTransform();
    for (let seed = 0; seed < 8; seed++) {
      const out = t.apply(sample, new Rng(seed));
      expect(Array.from(out.image)).toEqual(Array.from(out.masks!.seg!.data));
    }
  });

  it('should flip each axis with probability 1/2 (p = 1) over 10,000 draws', () => {
    const t = new MirrorTransform({ axes: [1] });
    const rng = new Rng(5);
    let flips = 0;
    for (let i = 0; i < 10_000; i++) if (t.draw(rng)) flips++;
    expect(Math.abs(flips / 10_000 - 0.5)).toBeLessThan(0.02);
  });

  it('should reject a non-spatial axis', () => {
    expect(() => new MirrorTransform({ axes: [3 as 0] })).toThrow(RangeError);
  });
});
