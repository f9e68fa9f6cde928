import { Rng } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { fuseBatch } from './fuse-batch.js';
import { boxSizeRange, drawFusionPlan, mixingCoefficients, NNSSL_FUSION } from './fusion-plan.js';

describe('VolumeFusion boxes', () => {
  it('should mix with linspace(0, 1, 5) and size boxes 8…100 at 160 voxels (nnssl: randint(8, int(0.625·160)+1))', () => {
    expect(mixingCoefficients(5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(boxSizeRange(160, NNSSL_FUSION)).toEqual([8, 100]);
    expect(boxSizeRange(32, NNSSL_FUSION)).toEqual([8, 20]);
    expect(boxSizeRange(8, NNSSL_FUSION)).toEqual([5, 5]);
  });

  it('should draw 10…39 boxes per pair, sides 8…100, inside the 160³ patch, every class and count seen (2,000 draws)', () => {
    const rng = new Rng(5);
    const counts = new Set<number>();
    const classes = new Set<number>();
    let [minSide, maxSide] = [Infinity, -Infinity];
    let outside = 0;
    for (let i = 0; i < 2000; i++) {
      const boxes = drawFusionPlan([160, 160, 160], NNSSL_FUSION, rng);
      counts.add(boxes.length);
      for (const b of boxes) {
        classes.add(b.classIndex);
        for (let a = 0; a < 3; a++) {
          minSide = Math.min(minSide, b.size[a]!);
          maxSide = Math.max(maxSide, b.size[a]!);
          if (b.start[a]! < 0 || b.start[a]! + b.size[a]! > 160) outside++;
        }
      }
    }
    expect(outside).toBe(0);
    expect(Math.min(...counts)).toBe(10);
    expect(Math.max(...counts)).toBe(39);
    expect(counts.size).toBe(30);
    expect([...classes].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([minSide, maxSide]).toEqual([8, 100]);
  });
});

describe('fuseBatch', () => {
  const shape = [4, 2, 12, 10, 9] as const;
  const per = 2 * 12 * 10 * 9;
  const vox = 12 * 10 * 9;
  const image = Float32Array.from({ length: 4 * per }, (_, i) => Math.sin(i * 0.37) * 3 + (i % 5));

  it('should paint class map and α voxel for voxel from the boxes (later boxes win) and fuse images i and P + i on every channel', () => {
    const f = fuseBatch({ image, shape }, NNSSL_FUSION, new Rng(11));
    expect(f.shape).toEqual([2, 2, 12, 10, 9]);
    const coeff = mixingCoefficients(5);
    for (let p = 0; p < 2; p++) {
      // A naive painter: the class of a voxel is that of the last box holding it, 0 when none does.
      for (let x = 0; x < 12; x++) for (let y = 0; y < 10; y++) for (let z = 0; z < 9; z++) {
        let k = 0;
        for (const b of f.boxes[p]!) {
          if (x >= b.start[0] && x < b.start[0] + b.size[0] && y >= b.start[1] && y < b.start[1] + b.size[1] && z >= b.start[2] && z < b.start[2] + b.size[2]) k = b.classIndex;
        }
        const v = (x * 10 + y) * 9 + z;
        expect(f.classMap[p * vox + v]).toBe(k);
        expect(f.alpha[p * vox + v]).toBe(coeff[k]);
        for (let c = 0; c < 2; c++) {
          const fg = image[p * per + c * vox + v]!;
          const bg = image[(2 + p) * per + c * vox + v]!;
          expect(f.input[p * per + c * vox + v]).toBeCloseTo(coeff[k]! * fg + (1 - coeff[k]!) * bg, 5);
        }
      }
      expect(f.boxes[p]!.length).toBeGreaterThanOrEqual(10);
      expect(f.boxes[p]!.length).toBeLessThan(40);
    }
  });

  it('should give class 0 pure background and the last class pure foreground', () => {
    const f = fuseBatch({ image, shape }, NNSSL_FUSION, new Rng(3));
    let seen = 0;
    for (let v = 0; v < vox; v++) {
      const k = f.classMap[v]!;
      if (k !== 0 && k !== 4) continue;
      seen++;
      expect(f.input[v]).toBe(k === 0 ? image[2 * per + v] : image[v]);
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('should be a function of the generator state', () => {
    expect(fuseBatch({ image, shape }, NNSSL_FUSION, new Rng(7)).classMap).toEqual(fuseBatch({ image, shape }, NNSSL_FUSION, new Rng(7)).classMap);
  });

  it('should refuse a batch with an odd number of images, naming the batch size', () => {
    expect(() => fuseBatch({ image: image.subarray(0, 3 * per), shape: [3, 2, 12, 10, 9] }, NNSSL_FUSION, new Rng(0))).toThrow(/even number of images .* got 3; set the batch size/);
  });
});
