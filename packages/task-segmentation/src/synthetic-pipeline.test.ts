import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTissueDataset } from '@openmind-ssl/data';
import { describe, expect, it } from 'vitest';
import { openSegmentationDataset } from './dataset/open-dataset.js';
import { planSegmentationAsync } from './plan/plan-segmentation.js';
import { openPreprocessedSegmentation } from './preprocess/open-preprocessed.js';
import { preprocessSegmentationDataset } from './preprocess/preprocess-dataset.js';
import { segmentationBatches } from './sampling/batch-generator.js';
import { foldCases, kFoldSplits } from './splits/kfold-splits.js';
import { testAdaptationPlan } from './testing/adaptation-plan.js';

describe('the data side end to end', () => {
  it('should take the synthetic tissue dataset (2 channels, 4 classes) from raw folder to augmented batches', async () => {
    const root = await mkdtemp(join(tmpdir(), 'seg-pipeline-'));
    const { dir } = await generateTissueDataset({ out: root, cases: 5, seed: 1, sizeMm: 20 });
    const dataset = await openSegmentationDataset(dir);
    const { plan } = await planSegmentationAsync(testAdaptationPlan(), dataset, { patchSize: [16, 16, 16] });
    expect(plan.numClasses).toBe(5);
    expect(plan.channelNames).toEqual(['T1w', 'FLAIR']);
    await preprocessSegmentationDataset(dataset, plan, join(root, 'pre'));
    const pre = await openPreprocessedSegmentation(join(root, 'pre'));
    const fold = foldCases(kFoldSplits(pre.caseIds), pre.caseIds, 0);
    expect(fold.val.length).toBe(1);
    const cases = await pre.loadAll(fold.train);
    for (const c of cases) expect([...c.classLocations.keys()]).toEqual([1, 2, 3, 4]);
    const batch = segmentationBatches(cases, plan, { seed: 0, mode: 'train' }).batch(0);
    expect(batch.shape).toEqual([2, 2, 16, 16, 16]);
    expect(batch.label.every((v) => v >= 0 && v <= 4)).toBe(true);
    expect(batch.image.every(Number.isFinite)).toBe(true);
    await rm(root, { recursive: true });
  });
});
