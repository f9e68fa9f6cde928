import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOpenMindCollection } from './build-openmind.js';
import { parseCsv, toCsv } from './csv.js';
import { filterCollection, iqsFilter, modalityFilter } from './filters.js';
import { toIndependentImages } from './pretrain-data.js';

const work = mkdtempSync(join(tmpdir(), 'openmind-build-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const COLUMNS = ['image_path', 'anon_mask_path', 'anat_mask_path', 'unique_id', 'modality', 'image_quality_score', 'derived_from', 'is_brain_extract', 'age', 'sex', 'handedness'];
const ROWS = [
  { image_path: 'ds000002/sub-02/anat/sub-02_T1w.nii.gz', unique_id: 'ds000002_sub-02_T1w', modality: 'T1w', image_quality_score: 3, is_brain_extract: false, age: 30, sex: 'M' },
  { image_path: 'ds000001/sub-01/ses-pre/anat/sub-01_ses-pre_T1w.nii.gz', anon_mask_path: 'ds000001/sub-01/ses-pre/anat/sub-01_ses-pre_T1w__Data/deface_mask.nii.gz', unique_id: 'ds000001_sub-01_ses-pre_T1w', modality: 'T1w', image_quality_score: null, is_brain_extract: false, age: 41, sex: 'F', handedness: 'R' },
  { image_path: 'ds000001/sub-01/ses-pre/anat/sub-01_ses-pre_FLAIR.nii', unique_id: 'ds000001_sub-01_ses-pre_FLAIR', modality: 'FLAIR', image_quality_score: 4.5, is_brain_extract: true, age: 41, sex: 'F' },
  { image_path: 'ds000001/sub-01/ses-pre/dwi/sub-01_ses-pre_dwi__Data/MD.nii.gz', unique_id: 'ds000001_sub-01_ses-pre_dwi', modality: 'MD', image_quality_score: 2.5, derived_from: 'DWI', is_brain_extract: true },
  { image_path: 'ds000001/sub-01/ses-pre/anat/sub-01_ses-pre_T1w_run-2.nii.gz', unique_id: 'ds000001_sub-01_ses-pre_T1w2', modality: 'T1w', image_quality_score: 1.5 },
  { image_path: 'ds000001/sub-03/anat/sub-03_T2w.nii.gz', unique_id: 'ds000001_sub-03_T2w', modality: 'T2w', image_quality_score: 2 },
  { image_path: 'ds000001/sub-03/anat/missing_T2w.nii.gz', unique_id: 'ds000001_sub-03_T2w', modality: 'T2w', image_quality_score: 5 },
];

function makeRoot(): string {
  const root = mkdtempSync(join(work, 'om-'));
  writeFileSync(join(root, 'openneuro_metadata.csv'), toCsv(COLUMNS, ROWS));
  const touch = (rel: string) => {
    const p = join(root, 'OpenMind', rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, 'x');
  };
  for (const r of ROWS.slice(0, 6)) touch(r.image_path);
  touch('ds000001/sub-01/ses-pre/anat/sub-01_ses-pre_T1w__Data/deface_mask.nii.gz');
  // No CSV cell for this one: found by the <stem>__Data convention.
  touch('ds000002/sub-02/anat/sub-02_T1w__Data/fb_mask.nii.gz');
  return root;
}

describe('buildOpenMindCollection', () => {
  it('should follow the nnssl converter: ids from the path, ses-DEFAULT, derived names, info without empty cells', async () => {
    const root = makeRoot();
    const { collection, problems } = await buildOpenMindCollection(root);
    expect(collection.collection_name).toBe('Dataset001_OpenMind');
    expect(Object.keys(collection.datasets)).toEqual(['ds000002', 'ds000001']);
    const ds1 = collection.datasets['ds000001']!;
    expect(Object.keys(ds1.subjects['sub-01']!.sessions)).toEqual(['ses-pre']);
    expect(Object.keys(ds1.subjects['sub-03']!.sessions)).toEqual(['ses-DEFAULT']);
    const names = ds1.subjects['sub-01']!.sessions['ses-pre']!.images.map((i) => i.name);
    expect(names).toEqual(['sub-01_ses-pre_T1w.nii.gz', 'sub-01_ses-pre_FLAIR.nii', 'sub-01_ses-pre_dwi_MD.nii.gz', 'sub-01_ses-pre_T1w_run-2.nii.gz']);
    // subject_info comes from the subject's first row; empty cells are dropped.
    expect(ds1.subjects['sub-01']!.subject_info).toEqual({ age: 41, sex: 'F', handedness: 'R' });
    expect(ds1.subjects['sub-03']!.subject_info).toEqual({});
    const md = ds1.subjects['sub-01']!.sessions['ses-pre']!.images[2]!;
    expect(md.image_info).toEqual({ derived_from: 'DWI', is_brain_extract: true });
    expect(problems).toEqual([{ path: join(root, 'OpenMind', 'ds000001/sub-03/anat/missing_T2w.nii.gz'), reason: 'image file listed in openneuro_metadata.csv does not exist' }]);
  });

  it('should link masks from the CSV and from the <stem>__Data convention to the right image', async () => {
    const root = makeRoot();
    const { collection } = await buildOpenMindCollection(root);
    const imgs = toIndependentImages(collection);
    const t1 = imgs.find((i) => i.image_name === 'sub-01_ses-pre_T1w.nii.gz')!;
    expect(t1.associated_masks).toEqual({ anonymization_mask: join(root, 'OpenMind/ds000001/sub-01/ses-pre/anat/sub-01_ses-pre_T1w__Data/deface_mask.nii.gz'), anatomy_mask: null });
    const t1b = imgs.find((i) => i.image_name === 'sub-02_T1w.nii.gz')!;
    expect(t1b.associated_masks).toEqual({ anonymization_mask: null, anatomy_mask: join(root, 'OpenMind/ds000002/sub-02/anat/sub-02_T1w__Data/fb_mask.nii.gz') });
    expect(imgs.filter((i) => i.associated_masks.anonymization_mask || i.associated_masks.anatomy_mask)).toHaveLength(2);
  });

  it('should store the first score of each (dataset, modality, derived_from) group, sorted as pandas sorts', async () => {
    const { collection } = await buildOpenMindCollection(makeRoot());
    expect(collection.datasets['ds000001']!.dataset_info!['image_quality_score']).toEqual([
      { modality: 'FLAIR', derived_from: null, image_quality_score: 4.5 },
      { modality: 'MD', derived_from: 'DWI', image_quality_score: 2.5 },
      // The first row of the group has no score; `.first()` skips it.
      { modality: 'T1w', derived_from: null, image_quality_score: 1.5 },
      { modality: 'T2w', derived_from: null, image_quality_score: 2 },
    ]);
  });

  it('should filter by IQS threshold and modality as nnssl does', async () => {
    const { collection } = await buildOpenMindCollection(makeRoot());
    const names = (filters: Parameters<typeof filterCollection>[1]) => toIndependentImages(filterCollection(collection, filters)).map((i) => i.image_name);
    // ds000001 T1w has IQS 1.5 (both of its images), ds000002 T1w 3, FLAIR 4.5, MD 2.5, T2w 2.
    expect(names([iqsFilter(collection, 2.5)])).toEqual(['sub-01_ses-pre_T1w.nii.gz', 'sub-01_ses-pre_dwi_MD.nii.gz', 'sub-01_ses-pre_T1w_run-2.nii.gz', 'sub-03_T2w.nii.gz']);
    expect(names([iqsFilter(collection, 3)])).toContain('sub-02_T1w.nii.gz');
    expect(names([modalityFilter(['T1w', 'T2w', 'FLAIR'])])).not.toContain('sub-01_ses-pre_dwi_MD.nii.gz');
    expect(names([iqsFilter(collection, 3), modalityFilter(['T1w'])])).toEqual(['sub-02_T1w.nii.gz', 'sub-01_ses-pre_T1w.nii.gz', 'sub-01_ses-pre_T1w_run-2.nii.gz']);
  });

  it('should refuse an IQS filter on images without a score, naming the image', async () => {
    const { collection } = await buildOpenMindCollection(makeRoot());
    collection.datasets['ds000002']!.dataset_info = null;
    const keep = iqsFilter(collection, 3);
    const img = toIndependentImages(collection).find((i) => i.dataset_index === 'ds000002')!;
    expect(() => keep(img)).toThrow(OpenMindError);
    expect(() => keep(img)).toThrow(/no image_quality_score for dataset "ds000002", modality "T1w"/);
  });

  it('should say which file is missing when the root has no CSV', async () => {
    await expect(buildOpenMindCollection(join(work, 'nowhere'))).rejects.toThrow(/openneuro_metadata\.csv must exist/);
  });
});

describe('parseCsv', () => {
  it('should handle quotes and infer column types like pandas', () => {
    const { records } = parseCsv('a,b,c,d\r\n1,"x, ""y""",True,\n2.5,z,False,7\n');
    expect(records).toEqual([
      { a: 1, b: 'x, "y"', c: true, d: null },
      { a: 2.5, b: 'z', c: false, d: 7 },
    ]);
  });

  it('should keep a column as text when any cell is not a number', () => {
    expect(parseCsv('id\n001\nabc\n').records.map((r) => r['id'])).toEqual(['001', 'abc']);
  });
});
