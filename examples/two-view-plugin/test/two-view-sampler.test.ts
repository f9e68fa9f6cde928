import { Rng, type SourceSample } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { turnPlanes, twoViewSampler } from '../src/index.js';

describe('turnPlanes', () => {
  it('should turn [Y, Z] planes counter-clockwise as numpy.rot90, the same for every stacked plane', () => {
    // numpy.rot90([[1, 2], [3, 4]]) == [[2, 4], [1, 3]]
    const src = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    expect(Array.from(turnPlanes(src, [1, 2, 2, 2], 1))).toEqual([2, 4, 1, 3, 6, 8, 5, 7]);
    expect(Array.from(turnPlanes(src, [2, 1, 2, 2], 2))).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
    const big = Int32Array.from({ length: 3 * 5 * 5 }, (_, i) => i);
    expect(Array.from(turnPlanes(turnPlanes(big, [1, 3, 5, 5], 3), [1, 3, 5, 5], 1))).toEqual(Array.from(big));
    expect(() => turnPlanes(src, [1, 1, 2, 4], 1)).toThrow(/plane must be square, got 2×4/);
  });
});

describe('twoViewSampler', () => {
  // Every voxel holds its own index, so a crop tells where it was cut from.
  const X = 12, Y = 10, Z = 10;
  const source: SourceSample = {
    image: Float32Array.from({ length: X * Y * Z }, (_, i) => i), shape: [1, X, Y, Z], caseId: 'case', targets: {},
    masks: { anat: { data: Uint8Array.from({ length: X * Y * Z }, (_, i) => i % 251), channels: 1 } },
  };
  const start = (first: number) => [Math.floor(first / (Y * Z)), Math.floor(first / Z) % Y, first % Z];

  it('should cut overlapping crops a and b, turn b by the target k, and turn its masks with it', () => {
    const sampler = twoViewSampler([6, 4, 4]);
    const seen = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const out = sampler.sample(source, new Rng(seed));
      const a = out.views['a']![0]!;
      const b = out.views['b']![0]!;
      expect(a.shape).toEqual([1, 6, 4, 4]);
      expect(b.shape).toEqual([1, 6, 4, 4]);
      const k = out.targets!['turn']!.data[0]!;
      expect(out.targets!['turn']!.shape).toEqual([1]);
      seen.add(k);
      const [ax, ay, az] = start(a.image[0]!);
      expect(Array.from(a.image)).toEqual(Array.from({ length: 96 }, (_, i) => ((ax! + Math.floor(i / 16)) * Y + ay! + (Math.floor(i / 4) % 4)) * Z + az! + (i % 4)));
      const unturned = turnPlanes(b.image, [1, 6, 4, 4], 4 - k);
      const [bx, by, bz] = start(unturned[0]!);
      expect(Array.from(unturned)).toEqual(Array.from({ length: 96 }, (_, i) => ((bx! + Math.floor(i / 16)) * Y + by! + (Math.floor(i / 4) % 4)) * Z + bz! + (i % 4)));
      // At most half a crop apart per axis: the views overlap.
      expect(Math.abs(bx! - ax!)).toBeLessThanOrEqual(3);
      expect(Math.max(Math.abs(by! - ay!), Math.abs(bz! - az!))).toBeLessThanOrEqual(2);
      expect(Array.from(turnPlanes(b.masks!['anat']!.data, [1, 6, 4, 4], 4 - k))).toEqual(Array.from(unturned, (v) => v % 251));
      // The same rng state gives the same views.
      expect(Array.from(sampler.sample(source, new Rng(seed)).views['b']![0]!.image)).toEqual(Array.from(b.image));
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });

  it('should refuse crops that cannot be turned or do not fit', () => {
    expect(() => twoViewSampler([4, 4, 6])).toThrow(/square in \(Y, Z\)/);
    expect(() => twoViewSampler([16, 4, 4]).sample(source, new Rng(0))).toThrow(/crops of \[16, 4, 4\] must fit the loaded patch \[12, 10, 10\]/);
  });
});
