import { describe, expect, it } from 'vitest';
import { Rng } from '@openmind-ssl/core';
import { Rot90Transform, rot90 } from './rot90.js';

const shape = [1, 3, 4, 2] as const;
const data = new Int32Array(24).map((_, i) => i);
const at = (x: number, y: number, z: number, dims: readonly number[]) => (x * dims[2]! + y) * dims[3]! + z;

describe('rot90', () => {
  it("should follow numpy's rot90 direction: k = 1 in plane (0, 1) gives out[x, y] = in[y, X - 1 - x]", () => {
    const out = rot90(data, shape, 1, [0, 1]);
    expect(out.shape).toEqual([1, 4, 3, 2]);
    for (let x = 0; x < 4; x++) {
      for (let y = 0; y < 3; y++) {
        for (let z = 0; z < 2; z++) expect(out.data[at(x, y, z, out.shape)]).toBe(data[at(y, 4 - 1 - x, z, shape)]);
      }
    }
  });

  it('should be the identity after four quarter turns and after k then 4 - k', () => {
    for (const axes of [[0, 1], [0, 2], [1, 2]] as const) {
      let cur = { data, shape: shape as readonly [number, number, number, number] };
      for (let i = 0; i < 4; i++) cur = rot90(cur.data, cur.shape, 1, axes);
      expect(cur.data).toEqual(data);
      const once = rot90(data, shape, 3, axes);
      expect(rot90(once.data, once.shape, 1, axes).data).toEqual(data);
    }
  });

  it('should match a half turn as two mirrors', () => {
    const half = rot90(data, shape, 2, [1, 2]);
    expect(half.data[at(0, 0, 0, shape)]).toBe(data[at(0, 3, 1, shape)]);
  });
});

describe('Rot90Transform', () => {
  it('should fire with probability p ± 0.02 over 10,000 draws', () => {
    const t = new Rot90Transform({ axes: [0, 1], p: 0.3 });
    const rng = new Rng(8);
    let fired = 0;
    const ks = new Set<number>();
    const planes = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const p = t.draw(rng);
      if (p) {
        fired++;
        ks.add(p.k);
        planes.add(p.axes.join(','));
      }
    }
    expect(Math.abs(fired / 10_000 - 0.3)).toBeLessThan(0.02);
    expect([...ks].sort()).toEqual([1, 2, 3]);
    expect([...planes]).toEqual(['0,1']);
  });

  it('should rotate masks together with the image', () => {
    const labels = Uint8Array.from(data);
    const t = new Rot90Transform({ p: 1 });
    for (let seed = 0; seed < 6; seed++) {
      const out = t.apply({ image: Float32Array.from(data), shape, masks: { seg: { data: labels, channels: 1 } } }, new Rng(seed));
      expect(Array.from(out.masks!.seg!.data)).toEqual(Array.from(out.image));
    }
  });
});
