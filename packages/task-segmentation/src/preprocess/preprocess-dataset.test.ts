import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRawCase } from '../dataset/load-raw-case.js';
import { openSegmentationDataset } from '../dataset/open-dataset.js';
import { planSegmentationAsync } from '../plan/plan-segmentation.js';
import { testAdaptationPlan, testSegPlan } from '../testing/adaptation-plan.js';
import { writeTestDataset } from '../testing/write-dataset.js';
import { openPreprocessedSegmentation } from './open-preprocessed.js';
import { preprocessSegmentationCase } from './preprocess-case.js';
import { preprocessSegmentationDataset } from './preprocess-dataset.js';
import { preprocessForInference } from './preprocess-for-inference.js';

async function setup(spacing: [number, number, number] = [1, 1, 2]) {
  const dir = await writeTestDataset({ channels: 2, classes: 2, ignore: true, spacing });
  const dataset = await openSegmentationDataset(dir);
  const { plan } = await planSegmentationAsync(testAdaptationPlan(), dataset, { patchSize: [8, 8, 8] });
  return { dir, dataset, plan };
}

describe('preprocessSegmentationCase', () => {
  describe('having 2 mm slices resampled to 1 mm', () => {
    it('should crop to the non-zero box, mark outside −1, z-score inside the mask and double the coarse axis', async () => {
      const { dir, dataset, plan } = await setup();
      const raw = await loadRawCase(dataset, 'case_001');
      const c = preprocessSegmentationCase(raw, plan);
      // File [12, 10, 8] at [1, 1, 2] mm → array [8, 10, 12] at [2, 1, 1] mm; the 1-voxel zero border is cropped.
      expect(c.geometry).toMatchObject({ fileShape: [12, 10, 8], transpose: [0, 1, 2], shapeBeforeCrop: [8, 10, 12], cropBox: [[1, 7], [1, 9], [1, 11]], spacing: [2, 1, 1], resampledShape: [12, 8, 10] });
      expect(c.geometry.affine![2]![2]).toBe(2);
      expect(c.shape).toEqual([2, 12, 8, 10]);
      expect(plan.useMaskForNorm).toEqual([true, true]);
      const n = 12 * 8 * 10;
      for (let ch = 0; ch < 2; ch++) {
        const vals = Array.from(c.image.subarray(ch * n, (ch + 1) * n)).filter((_, i) => c.label[i]! >= 0);
        const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
        // Cubic resampling after normalising moves the mean a little off 0.
        expect(Math.abs(mean)).toBeLessThan(0.05);
      }
      expect(c.label.every((v) => v >= 0 && v <= 3)).toBe(true);
      for (const [k, locs] of c.classLocations) expect(locs.every((i) => c.label[i] === k)).toBe(true);
      expect(c.annotatedLocations!.every((i) => c.label[i]! >= 0 && c.label[i] !== 3)).toBe(true);
      await rm(dir, { recursive: true });
    });
  });

  describe('having zero voxels inside the non-zero bounding box', () => {
    it('should label them −1 unless labelled, and keep them out of the z-score statistics', () => {
      // [1, 1, 4, 4] image: non-zero only in an L (rows 0 and column 0), labels 1 at (0, 0).
      const image = new Float32Array(16);
      for (let i = 0; i < 4; i++) {
        image[i] = 10 + i;
        image[i * 4] = 10 + i;
      }
      const label = new Int8Array(16);
      label[0] = 1;
      label[15] = 1;
      const raw = { id: 'l', image, shape: [1, 1, 4, 4] as [number, number, number, number], label, spacing: [1, 1, 1] as [number, number, number], affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], fileShape: [4, 4, 1] as [number, number, number] };
      const plan = { ...testSegPlan(), useMaskForNorm: [true], spacing: null, spacingMode: 'no-resample' as const };
      const c = preprocessSegmentationCase(raw, plan);
      expect(Array.from(c.label)).toEqual([1, 0, 0, 0, 0, -1, -1, -1, 0, -1, -1, -1, 0, -1, -1, 1]);
      // Statistics over label ≥ 0 (nnU-Net: the labelled zero voxel 15 counts as inside); −1 voxels stay 0.
      const inside = Array.from(c.image).filter((_, i) => c.label[i]! >= 0);
      expect(inside.reduce((a, b) => a + b, 0) / inside.length).toBeCloseTo(0, 5);
      expect(c.image[5]).toBe(0);
    });
  });
});

describe('preprocessSegmentationDataset', () => {
  it('should write every case, read back equal, resume without redoing and refuse another plan', async () => {
    const { dir, dataset, plan } = await setup();
    const out = join(dir, 'preprocessed');
    const progress: number[] = [];
    expect(await preprocessSegmentationDataset(dataset, plan, out, { onProgress: (p) => progress.push(p.done) })).toEqual({ done: 3, skipped: 0 });
    expect(progress).toEqual([1, 2, 3]);
    const pre = await openPreprocessedSegmentation(out);
    expect(pre.caseIds).toEqual(['case_000', 'case_001', 'case_002']);
    expect(pre.plan).toEqual(plan);
    expect(pre.inChannels).toBe(2);
    expect(pre.outputs).toBe(3);
    const direct = preprocessSegmentationCase(await loadRawCase(dataset, 'case_002'), plan);
    const stored = await pre.load('case_002');
    expect(stored.shape).toEqual(direct.shape);
    expect(Array.from(stored.image)).toEqual(Array.from(direct.image));
    expect(Array.from(stored.label)).toEqual(Array.from(direct.label));
    expect([...stored.classLocations.keys()]).toEqual([1, 2]);
    expect(Array.from(stored.classLocations.get(2)!)).toEqual(Array.from(direct.classLocations.get(2)!));
    expect(Array.from(stored.annotatedLocations!)).toEqual(Array.from(direct.annotatedLocations!));
    expect(stored.geometry).toEqual(direct.geometry);
    expect((await pre.read('case_000')).target.length).toBe(direct.label.length);
    await expect(pre.load('nope')).rejects.toThrow(/no case "nope"/);

    expect(await preprocessSegmentationDataset(dataset, plan, out)).toEqual({ done: 0, skipped: 3 });
    // A case whose record is gone (killed before its record was written) is redone, the others skipped.
    await rm(join(out, 'cases', 'case_001.json'));
    expect(await preprocessSegmentationDataset(dataset, plan, out)).toEqual({ done: 1, skipped: 2 });

    const other = { ...plan, spacing: [2, 2, 2] as [number, number, number] };
    await expect(preprocessSegmentationDataset(dataset, other, out)).rejects.toThrow(/preprocessed with another/);
    expect(await preprocessSegmentationDataset(dataset, other, out, { overwrite: true })).toEqual({ done: 3, skipped: 0 });
    expect((await openPreprocessedSegmentation(out)).plan.spacing).toEqual([2, 2, 2]);
    expect((await readdir(join(out, 'cases'))).filter((f) => f.includes('.tmp'))).toEqual([]);
    await rm(dir, { recursive: true });
  });

  it('should refuse a folder whose case list is missing', async () => {
    const { dir } = await setup();
    await writeFile(join(dir, 'plan.json'), '{}');
    await expect(openPreprocessedSegmentation(dir)).rejects.toThrow(/the case list ".*cases\.json" must exist/);
    await rm(dir, { recursive: true });
  });
});

describe('preprocessForInference', () => {
  it('should preprocess the channel files exactly as training did', async () => {
    const { dir, dataset, plan } = await setup([0.75, 0.75, 3]);
    const files = dataset.cases[0]!.images;
    const inf = await preprocessForInference(files, plan);
    const train = preprocessSegmentationCase(await loadRawCase(dataset, 'case_000'), plan);
    expect(inf.shape).toEqual(train.shape);
    expect(inf.geometry).toEqual(train.geometry);
    expect(Array.from(inf.image)).toEqual(Array.from(train.image));
    await expect(preprocessForInference(files.slice(0, 1), plan)).rejects.toThrow(/must have the plan's 2 channel\(s\) \(MR0, MR1\), but it has 1/);
    await rm(dir, { recursive: true });
  });
});
