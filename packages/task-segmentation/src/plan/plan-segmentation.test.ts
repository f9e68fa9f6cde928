import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openSegmentationDataset } from '../dataset/open-dataset.js';
import { testAdaptationPlan as adaptationPlan } from '../testing/adaptation-plan.js';
import { writeTestDataset } from '../testing/write-dataset.js';
import type { SegmentationFingerprint } from './fingerprint.js';
import { planSegmentation, planSegmentationAsync, pretrainSpacing } from './plan-segmentation.js';
import { fullresTargetSpacing } from './target-spacing.js';

function fingerprint(spacings: [number, number, number][], shapes: [number, number, number][], relative = 1): SegmentationFingerprint {
  return { ids: spacings.map((_, i) => `c${i}`), spacings, shapes, shapesAfterCrop: shapes, medianRelativeSizeAfterCropping: relative };
}

describe('planSegmentation', () => {
  describe('having a two-channel dataset with anisotropic spacing (NIfTI z 3 mm, in-plane 0.75 mm)', () => {
    it('should transpose the coarse axis first, resample like the checkpoint and read labels from dataset.json', async () => {
      const dir = await writeTestDataset({ channels: 2, classes: 2, ignore: true, spacing: [0.75, 0.75, 3] });
      const ds = await openSegmentationDataset(dir);
      const { plan, fingerprint: fp } = await planSegmentationAsync(adaptationPlan(), ds);
      // Array order is [z, y, x] = [3, 0.75, 0.75]: axis 0 is already the coarse one.
      expect(fp.spacings[0]).toEqual([3, 0.75, 0.75]);
      expect(plan).toMatchObject({
        patchSize: [160, 160, 160], spacingMode: 'like-pretrained', spacing: [1, 1, 1], transpose: [0, 1, 2], channelNames: ['MR0', 'MR1'],
        normalization: ['zscore', 'zscore'], numClasses: 3, ignoreLabel: 3, batchSize: 2, fileEnding: '.nii.gz',
      });
      // A 160³ patch is larger than these tiny images: no 3d_lowres, so no batch Dice.
      expect(plan.batchDice).toBe(false);
      expect(planSegmentation(adaptationPlan(), ds, fp, { spacingMode: 'dataset-median' }).spacing).toEqual([3, 0.75, 0.75]);
      expect(planSegmentation(adaptationPlan(), ds, fp, { spacingMode: 'no-resample' }).spacing).toBeNull();
      expect(planSegmentation(adaptationPlan(), ds, fp, { spacingMode: 'fixed', fixedSpacing: [2, 1, 1] }).spacing).toEqual([2, 1, 1]);
      expect(() => planSegmentation(adaptationPlan(), ds, fp, { spacingMode: 'fixed' })).toThrow(/spacing mode "fixed" needs fixedSpacing/);
      // The 1-voxel zero border leaves (6·8·10)/(8·10·12) = 0.5 of the voxels: masked z-score, as nnU-Net.
      expect(fp.medianRelativeSizeAfterCropping).toBeCloseTo(0.5, 10);
      expect(plan.useMaskForNorm).toEqual([true, true]);
      expect(planSegmentation(adaptationPlan(), ds, fp, { patchSize: [4, 4, 4] }).batchDice).toBe(true);
      await rm(dir, { recursive: true });
    });
  });

  describe('having the coarse axis last in array order', () => {
    it('should move it first in the transpose and the dataset-median spacing', () => {
      const fp = fingerprint([[1, 1, 4], [1, 1, 4], [1, 1, 5]], [[200, 200, 60], [200, 200, 60], [200, 200, 60]]);
      const ds = { dir: 'd', cases: [], json: { channelNames: ['CT'], labels: { background: 0, a: 1 }, ignoreLabel: null, numClasses: 2, fileEnding: '.nii.gz', numTraining: 3, name: null } };
      const plan = planSegmentation(adaptationPlan(), ds, fp, { spacingMode: 'dataset-median' });
      expect(plan.transpose).toEqual([2, 0, 1]);
      expect(plan.spacing).toEqual([4, 1, 1]);
      expect(plan.useMaskForNorm).toEqual([false]);
    });
  });
});

describe('fullresTargetSpacing', () => {
  it('should take the 10th percentile on an axis that is coarse in both spacing and voxel count (nnU-Net)', () => {
    const spacings: [number, number, number][] = [[5, 0.7, 0.7], [4, 0.7, 0.7], [6, 0.8, 0.8], [3, 0.7, 0.7], [5, 0.7, 0.7]];
    const shapes: [number, number, number][] = spacings.map(() => [20, 300, 300]);
    // numpy: percentile([5,4,6,3,5], 10) = 3.4
    expect(fullresTargetSpacing(fingerprint(spacings, shapes))[0]).toBeCloseTo(3.4, 12);
    // Not coarse in voxel count (60·3 > 300): the median stays.
    expect(fullresTargetSpacing(fingerprint(spacings, spacings.map(() => [120, 300, 300])))[0]).toBe(5);
  });
});

describe('pretrainSpacing', () => {
  it('should read the pretrain plan spacing, null for no resampling and 1 mm without a plan', () => {
    expect(pretrainSpacing(adaptationPlan([1.5, 1, 1]))).toEqual([1.5, 1, 1]);
    expect(pretrainSpacing(adaptationPlan(null))).toBeNull();
    expect(pretrainSpacing({ ...adaptationPlan(), pretrain_plan: {} })).toEqual([1, 1, 1]);
    expect(() => pretrainSpacing(adaptationPlan([1, -1, 1]))).toThrow(/spacing must be three positive numbers or null/);
  });
});
