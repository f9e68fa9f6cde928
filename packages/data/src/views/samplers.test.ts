import { Rng, type SourceSample } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { gridCropsSampler } from './grid-crops.js';
import { overlappingCropsSampler } from './overlapping-crops.js';

/** A 2-channel source whose voxel value encodes its position, with an anatomy mask. */
function source(shape: [number, number, number]): SourceSample {
  const [X, Y, Z] = shape;
  const n = X * Y * Z;
  const image = new Float32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) image[i] = i;
  const anat = Int32Array.from({ length: n }, (_, i) => i % 3);
  return { image, shape: [2, X, Y, Z], masks: { anat: { data: anat, channels: 1 } }, caseId: 'c', targets: {} };
}

/** Value at channel c, voxel (x, y, z) of `source(shape)`. */
const at = (shape: number[], c: number, x: number, y: number, z: number) => ((c * shape[0]! + x) * shape[1]! + y) * shape[2]! + z;

describe('overlappingCropsSampler', () => {
  it('should cut pairs that share at least half the crop along every axis, with boxes and fractions that match the voxels', () => {
    const shape = [40, 36, 16];
    const sampler = overlappingCropsSampler({ cropSize: [16, 12, 16], pairs: 2, minOverlap: 0.5 });
    const rng = new Rng(3);
    let sawSmallOverlap = false;
    for (let trial = 0; trial < 100; trial++) {
      const out = sampler.sample(source(shape as [number, number, number]), rng.fork());
      expect(Object.keys(out.views)).toEqual(['reference', 'overlap']);
      expect(out.views['reference']).toHaveLength(2);
      const rb = out.targets!['referenceBoxes']!;
      const ob = out.targets!['overlapBoxes']!;
      expect(rb.shape).toEqual([2, 6]);
      expect(out.targets!['overlapFractions']!.shape).toEqual([2]);
      for (let j = 0; j < 2; j++) {
        const r = Array.from(rb.data.subarray(6 * j, 6 * j + 6));
        const o = Array.from(ob.data.subarray(6 * j, 6 * j + 6));
        let shared = 1;
        for (let d = 0; d < 3; d++) {
          const s = Math.min(r[d + 3]!, o[d + 3]!) - Math.max(r[d]!, o[d]!);
          expect(s).toBeGreaterThanOrEqual([8, 6, 8][d]!);
          expect(r[d]).toBeGreaterThanOrEqual(0);
          expect(o[d + 3]).toBeLessThanOrEqual(shape[d]!);
          shared *= s;
        }
        expect(out.targets!['overlapFractions']!.data[j]).toBeCloseTo(shared / (16 * 12 * 16), 6);
        if (shared / (16 * 12 * 16) < 0.3) sawSmallOverlap = true;
        // The crops hold exactly the voxels of their boxes (both channels, and the mask).
        for (const [view, box] of [['reference', r], ['overlap', o]] as const) {
          const crop = out.views[view]![j]!;
          expect(crop.shape).toEqual([2, 16, 12, 16]);
          expect(crop.image[at([16, 12, 16], 1, 3, 5, 7)]).toBe(at(shape, 1, box[0]! + 3, box[1]! + 5, box[2]! + 7));
          expect(crop.masks!['anat']!.data[at([16, 12, 16], 0, 2, 1, 9)]).toBe(at(shape, 0, box[0]! + 2, box[1]! + 1, box[2]! + 9) % 3);
        }
      }
    }
    // The guarantee is a lower bound per axis, not a fixed overlap: small total overlaps do occur.
    expect(sawSmallOverlap).toBe(true);
  });

  it('should refuse crops larger than the loaded patch, naming the fix', () => {
    const sampler = overlappingCropsSampler({ cropSize: [64, 64, 64] });
    expect(() => sampler.sample(source([32, 32, 32]), new Rng(0))).toThrow(/must fit the loaded patch \[32, 32, 32\].*loaderPatchSize/);
  });
});

describe('gridCropsSampler', () => {
  it('should tile the patch into base crops and give target overlaps that sum to 1', () => {
    const shape = [32, 32, 8];
    const sampler = gridCropsSampler({ grid: [4, 4, 1], targets: 3 });
    const out = sampler.sample(source(shape as [number, number, number]), new Rng(5));
    expect(out.views['base']).toHaveLength(16);
    expect(out.views['target']).toHaveLength(3);
    // Base crop n = (i, j, k) with k fastest: crop 5 is (1, 1, 0), starting at (8, 8, 0).
    expect(out.views['base']![5]!.image[0]).toBe(at(shape, 0, 8, 8, 0));
    const ov = out.targets!['overlaps']!;
    expect(ov.shape).toEqual([3, 16]);
    const boxes = out.targets!['targetBoxes']!.data;
    for (let t = 0; t < 3; t++) {
      const row = Array.from(ov.data.subarray(16 * t, 16 * t + 16));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      // The base crop holding the target's first voxel overlaps it.
      const [x, y] = [boxes[6 * t]!, boxes[6 * t + 1]!];
      expect(row[Math.floor(x / 8) * 4 + Math.floor(y / 8)]).toBeGreaterThan(0);
      expect(out.views['target']![t]!.image[0]).toBe(at(shape, 0, x, y, boxes[6 * t + 2]!));
    }
  });

  it('should refuse a patch that the grid does not divide', () => {
    expect(() => gridCropsSampler({ grid: [4, 4, 1], targets: 1 }).sample(source([30, 32, 8]), new Rng(0))).toThrow(/\[30, 32, 8\] must divide exactly into the grid \[4, 4, 1\]/);
  });
});
