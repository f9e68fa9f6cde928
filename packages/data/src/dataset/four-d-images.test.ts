import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStoreConsistency } from '../loader/check-store-consistency.js';
import { createNiftiImage } from '../nifti/create-nifti-image.js';
import { writeNifti } from '../nifti/write-nifti.js';
import { loadCaseInput } from '../preprocess/load-case-input.js';
import { preprocessDataset } from '../preprocess/preprocess-dataset.js';
import { CaseReader } from '../store/case-reader.js';
import { allImages } from './pretrain-data.js';
import { indexDataset } from './index-dataset.js';

// A folder with a 3-D T1w and a synthetic 4-D DWI series of 3 volumes, each volume a distinct pattern.
const root = mkdtempSync(join(tmpdir(), 'om-4d-'));
const raw = join(root, 'raw', 'sub-01');
const shape = [10, 9, 8] as const;
const n = shape[0] * shape[1] * shape[2];
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  mkdirSync(raw, { recursive: true });
  const blob = (k: number) => Float32Array.from({ length: n }, (_, i) => (((i * (k + 3)) % 17) + 1) * (k + 1));
  await writeNifti(join(raw, 'sub-01_T1w.nii.gz'), createNiftiImage(blob(5), [...shape]));
  const series = new Float32Array(3 * n);
  for (let k = 0; k < 3; k++) series.set(blob(k), k * n);
  await writeNifti(join(raw, 'sub-01_dwi.nii.gz'), createNiftiImage(series, [...shape, 3]));
});

describe('4-D images at indexing', () => {
  it('splits a 4-D series into one 3-D image per volume by default, the volume index in the image id', async () => {
    const { collection, problems } = await indexDataset(join(root, 'raw'));
    expect(problems).toEqual([]);
    const images = allImages(collection);
    expect(images.map((i) => i.name)).toEqual(['sub-01_T1w.nii.gz', 'sub-01_dwi_vol-0.nii.gz', 'sub-01_dwi_vol-1.nii.gz', 'sub-01_dwi_vol-2.nii.gz']);
    expect(images.slice(1).map((i) => i.image_info?.['volume_index'])).toEqual([0, 1, 2]);
    expect(images.slice(1).every((i) => i.modality === 'dwi' && i.image_path.endsWith('sub-01_dwi.nii.gz'))).toBe(true);
  });

  it('leaves a 4-D series out with the reason under --4d refuse', async () => {
    const { collection, problems } = await indexDataset(join(root, 'raw'), { fourD: 'refuse' });
    expect(allImages(collection).map((i) => i.name)).toEqual(['sub-01_T1w.nii.gz']);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toMatch(/sub-01_dwi\.nii\.gz$/);
    expect(problems[0]!.reason).toMatch(/4-D series of 3 volumes \(shape \[10, 9, 8, 3\]\), refused by --4d refuse/);
  });

  it('refuses, when preprocessing, a 4-D case that names no volume', async () => {
    const file = join(raw, 'sub-01_dwi.nii.gz');
    const c = { id: 'x', subjectId: 's', imagePath: file, anonymizationMaskPath: null, anatomyMaskPath: null, outputPath: 'x' };
    const err = await loadCaseInput(c).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(OpenMindError);
    expect((err as Error).message).toMatch(/4-D series of 3 volumes .* but the case names no volume/);
    const one = await loadCaseInput({ ...c, volumeIndex: 2 });
    expect(one.image.shape).toEqual([1, 8, 9, 10]);
    expect(one.image.data[1]).toBe((((1 * 5) % 17) + 1) * 3);
  });

  it('preprocesses the folder into single-channel cases that pass the store check', async () => {
    const summary = await preprocessDataset({ input: join(root, 'raw'), out: join(root, 'pp'), config: 'noresample', workers: 0 });
    expect(summary.failed).toEqual([]);
    expect(summary.processed).toBe(4);
    expect(checkStoreConsistency(summary.dataDir, { channels: 1 })).toEqual({ cases: 4, channels: 1, spatialRank: 3 });
    const manifest = JSON.parse(readFileSync(join(summary.dataDir, 'manifest.json'), 'utf8')) as { cases: { id: string; path: string }[] };
    expect(manifest.cases.map((c) => c.id.split('__').pop())).toEqual(['sub-01_T1w.nii.gz', 'sub-01_dwi_vol-0.nii.gz', 'sub-01_dwi_vol-1.nii.gz', 'sub-01_dwi_vol-2.nii.gz']);
    const reader = CaseReader.open(join(summary.dataDir, manifest.cases[2]!.path));
    expect(reader.channels).toBe(1);
    reader.close();
  });
});

describe('checkStoreConsistency', () => {
  it('names the cases whose channel count differs, before any training step', async () => {
    const summary = await preprocessDataset({ input: join(root, 'raw'), out: join(root, 'pp-mixed'), config: 'noresample', workers: 0 });
    const manifest = JSON.parse(readFileSync(join(summary.dataDir, 'manifest.json'), 'utf8')) as { cases: { id: string; path: string }[] };
    // Make one case claim 65 channels, as a store from before the 4-D decision held a DWI series.
    const meta = join(summary.dataDir, manifest.cases[1]!.path, 'data', 'zarr.json');
    const json = JSON.parse(readFileSync(meta, 'utf8')) as { shape: number[]; chunk_grid: { configuration: { chunk_shape: number[] } } };
    json.shape[0] = 65;
    json.chunk_grid.configuration.chunk_shape[0] = 65;
    writeFileSync(meta, JSON.stringify(json));
    const err = (() => {
      try {
        checkStoreConsistency(summary.dataDir, { channels: 1 });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(OpenMindError);
    expect(err!.message).toContain(`store "${summary.dataDir}": every case must have 1 channel(s) (what the network takes), but 1 case(s) have 65 channel(s): ${manifest.cases[1]!.id}.`);
    expect(() => checkStoreConsistency(summary.dataDir)).toThrow(/every case must have 1 channel\(s\), but 1 case\(s\) have 65/);
  });

  it('names a store whose manifest is not JSON', () => {
    const dir = join(root, 'bad-store');
    mkdirSync(dir);
    writeFileSync(join(dir, 'manifest.json'), '{"cases": [');
    expect(() => checkStoreConsistency(dir)).toThrow(new RegExp(`"${join(dir, 'manifest.json')}" must be valid JSON`));
  });
});
