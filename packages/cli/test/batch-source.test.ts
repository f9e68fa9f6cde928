import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataPipeline, HostBatch } from '@openmind-ssl/core';
import { generateSyntheticOpenMind, openPreprocessedStore, preprocessDataset } from '@openmind-ssl/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoaderSettings, patchBatchSource, validationBatchSource } from '../src/batch-source.js';

const root = mkdtempSync(join(tmpdir(), 'om-batch-source-'));
let store = '';
beforeAll(async () => {
  await generateSyntheticOpenMind({ out: root, subjects: 2, seed: 4, sizeMm: 32 });
  store = (await preprocessDataset({ input: root, out: join(root, 'preprocessed'), workers: 0 })).dataDir;
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sampler = { module: '@openmind-ssl/data', exportName: 'overlappingCropsSampler', args: [{ cropSize: [8, 8, 8] }] };
const augmentation = { module: '@openmind-ssl/augment', exportName: 'simclrCropAugmentation' };
const pipeline = (augmented: boolean): DataPipeline => ({
  loaderPatchSize: [16, 16, 16],
  views: { sampler, views: [{ name: 'reference', ...(augmented ? { augmentation } : {}) }, { name: 'overlap', ...(augmented ? { augmentation } : {}) }] },
});
const settings = (p: DataPipeline): LoaderSettings => ({
  store, batchSize: 2, patchSize: [8, 8, 8], pipeline: p, seed: 3, workers: 1, iterationsPerEpoch: 2, anatomyOversampling: 0,
});

async function first(source: ReturnType<typeof patchBatchSource>): Promise<HostBatch> {
  try {
    const it = source.batches(0);
    const r = await it.next();
    await it.return?.(undefined);
    return r.value as HostBatch;
  } finally {
    await source.close();
  }
}

describe('batch sources of a multi-view method', () => {
  it('should hand the views to training, and to validation without their augmentations', async () => {
    const train = await first(patchBatchSource(settings(pipeline(true))));
    expect(train.views!['reference']!.shape).toEqual([2, 1, 8, 8, 8]);
    expect(train.targets!['overlapFractions']!.shape).toEqual([2, 1]);
    const ids = openPreprocessedStore(store).cases.map((c) => c.id);
    const val = await first(validationBatchSource(settings(pipeline(true)), ids, 2));
    // Validation = the same sampler on the validation cases with their own seed, crops as cut.
    const plain = await first(patchBatchSource({ ...settings(pipeline(false)), caseIds: ids, seed: 4 }));
    expect(val.views!['overlap']!.shape).toEqual([2, 1, 8, 8, 8]);
    expect(Array.from(val.views!['overlap']!.image)).toEqual(Array.from(plain.views!['overlap']!.image));
    expect(Array.from(val.targets!['referenceBoxes']!.data)).toEqual(Array.from(plain.targets!['referenceBoxes']!.data));
  });
});
