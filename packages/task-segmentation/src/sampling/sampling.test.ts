import { Rng } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { makeCase } from '../testing/make-case.js';
import { SegmentationBatchGenerator } from './batch-generator.js';
import { choosePatchStart } from './choose-patch.js';
import { cropBounds } from './crop-bounds.js';
import { extractPatch } from './extract-patch.js';
import { isForcedForeground } from './oversampling.js';

const forcedOf = (B: number) => Array.from({ length: B }, (_, i) => i).filter((i) => isForcedForeground(i, B));

describe('isForcedForeground', () => {
  it('should force the last samples as nnU-Net (finetune-spec §4): B=1 none, B=2 {1}, B=4 {3}, B=8 {5,6,7}', () => {
    expect(forcedOf(1)).toEqual([]);
    expect(forcedOf(2)).toEqual([1]);
    expect(forcedOf(4)).toEqual([3]);
    expect(forcedOf(8)).toEqual([5, 6, 7]);
    expect(forcedOf(3)).toEqual([2]);
  });
});

describe('cropBounds', () => {
  it('should allow starts in [-pad//2, shape + pad//2 + pad%2 - patch] with Python floor division', () => {
    // Training, 257³ crop for a 160³ patch (pad 97) on a 300-voxel axis: -97//2 = -49; 300 + 48 + 1 - 257 = 92.
    expect(cropBounds([300, 300, 300], [257, 257, 257], [160, 160, 160])).toEqual({ lower: [-49, -49, -49], upper: [92, 92, 92] });
    // An axis shorter than crop + pad: pad grows to 257 - 100 = 157 → [-79, -78].
    expect(cropBounds([100, 300, 300], [257, 257, 257], [160, 160, 160])).toEqual({ lower: [-79, -49, -49], upper: [-78, 92, 92] });
    // Validation: no pad; 200 → [0, 40]; a short axis of 100 is padded by 60 → [-30, -30].
    expect(cropBounds([200, 100, 160], [160, 160, 160], [160, 160, 160])).toEqual({ lower: [0, -30, 0], upper: [40, -30, 0] });
  });
});

describe('choosePatchStart', () => {
  const c = makeCase('a', [40, 40, 40], { at: [[5, 5, 5], [30, 30, 30]], size: 2 });
  const bounds = cropBounds([40, 40, 40], [16, 16, 16], [16, 16, 16]);

  it('should centre forced patches on a stored voxel of a class chosen uniformly, clamped only below', () => {
    const rng = new Rng(3);
    const counts = new Map<number, number>();
    for (let t = 0; t < 400; t++) {
      const { start, centredOn } = choosePatchStart(c, true, bounds, [16, 16, 16], rng, false);
      counts.set(centredOn as number, (counts.get(centredOn as number) ?? 0) + 1);
      const p = extractPatch(c, start, [16, 16, 16]);
      expect(p.label.includes(centredOn as number)).toBe(true);
      // Class 2 sits at 30..31: start = voxel − 8 = 22 or 23 on every axis; upper bound 24 is not applied as a clamp.
      if (centredOn === 2) expect(start.every((s) => s === 22 || s === 23)).toBe(true);
      // Class 1 at 5..6: voxel − 8 < 0 = lower, so clamped to 0.
      if (centredOn === 1) expect(start).toEqual([0, 0, 0]);
    }
    // Uniform over present classes, although both have 8 voxels each: about 200 each (binomial sd 10).
    expect(Math.abs(counts.get(1)! - 200)).toBeLessThan(50);
  });

  it('should fall back to a random start without foreground and stay within the bounds when not forced', () => {
    const empty = makeCase('e', [40, 40, 40]);
    const rng = new Rng(4);
    for (let t = 0; t < 50; t++) {
      const forced = choosePatchStart(empty, true, bounds, [16, 16, 16], rng, false);
      expect(forced.centredOn).toBeNull();
      const r = choosePatchStart(c, false, bounds, [16, 16, 16], rng, false);
      expect(r.start.every((s, d) => s >= bounds.lower[d]! && s <= bounds.upper[d]!)).toBe(true);
    }
  });

  it('should centre unforced patches on annotated voxels when the dataset has an ignore label', () => {
    const withIgnore = makeCase('i', [40, 40, 40], { at: [[5, 5, 5]], outside: 20, ignoreLabel: 2 });
    const r = choosePatchStart(withIgnore, false, bounds, [16, 16, 16], new Rng(5), true);
    expect(r.centredOn).toBe('annotated');
    // Annotated voxels have z ≥ 20 (the first 20 planes are −1), so the start is ≥ 12.
    expect(r.start[0]).toBeGreaterThanOrEqual(12);
  });
});

describe('SegmentationBatchGenerator', () => {
  const cases = [makeCase('a', [24, 20, 28], { at: [[3, 3, 3]], outside: 2, channels: 2 }), makeCase('b', [30, 12, 20], { at: [[20, 5, 10]], channels: 2, seed: 8 })];
  const options = { patchSize: [16, 16, 16] as [number, number, number], batchSize: 4, seed: 11 };

  it('should give [B, C, D, H, W] batches that depend only on the seed and the batch index', () => {
    const g = new SegmentationBatchGenerator(cases, options);
    const b0 = g.next();
    const b1 = g.next();
    expect(b0.shape).toEqual([4, 2, 16, 16, 16]);
    expect(b0.image.length).toBe(4 * 2 * 16 ** 3);
    expect(b0.label.length).toBe(4 * 16 ** 3);
    const again = new SegmentationBatchGenerator(cases, options);
    expect(Array.from(again.batch(1).image)).toEqual(Array.from(b1.image));
    again.seek(0);
    expect(Array.from(again.next().label)).toEqual(Array.from(b0.label));
    expect(Array.from(new SegmentationBatchGenerator(cases, { ...options, seed: 12 }).batch(0).image)).not.toEqual(Array.from(b0.image));
  });

  it('should put foreground in every forced sample, map −1 to background and pad the short axis with image 0', () => {
    const g = new SegmentationBatchGenerator(cases, options);
    const n = 16 ** 3;
    for (let i = 0; i < 20; i++) {
      const b = g.batch(i);
      expect(b.label.subarray(3 * n, 4 * n).includes(1)).toBe(true);
      expect(b.label.every((v) => v === 0 || v === 1)).toBe(true);
    }
    // Case b has H = 12 < 16: every patch of it has padded rows, image 0 (the noise image is never exactly 0).
    const onlyB = new SegmentationBatchGenerator([cases[1]!], options);
    for (let i = 0; i < 5; i++) {
      const b = onlyB.batch(i);
      for (let s = 0; s < 4; s++) expect(b.image.subarray(s * 2 * n, s * 2 * n + n).some((v) => v === 0)).toBe(true);
    }
  });
});
