import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { requirePython, runPython } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { PretrainCollection } from './pretrain-data.js';
import { toIndependentImages, uniqueImageId, uniqueSubjectId } from './pretrain-data.js';
import { parsePythonJson } from './python-json.js';
import { readPretrainData } from './read-pretrain-data.js';
import { writePretrainData } from './write-pretrain-data.js';

const work = mkdtempSync(join(tmpdir(), 'openmind-pretrain-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const py = { ok: requirePython(['json']) };

function sample(root: string): PretrainCollection {
  return {
    collection_index: 1,
    collection_name: 'Dataset001_OpenMind',
    datasets: {
      ds000117: {
        dataset_index: 'ds000117',
        name: null,
        dataset_info: { image_quality_score: [{ modality: 'T1w', derived_from: null, image_quality_score: 1.5 }] },
        subjects: {
          'sub-01': {
            subject_id: 'sub-01',
            subject_info: { age: 25, sex: 'F', health_status: 'Größe ok' },
            sessions: {
              'ses-DEFAULT': {
                session_id: 'ses-DEFAULT',
                session_info: null,
                images: [
                  {
                    name: 'sub-01_T1w.nii.gz',
                    image_path: `${root}/OpenMind/ds000117/sub-01/anat/sub-01_T1w.nii.gz`,
                    modality: 'T1w',
                    image_info: { is_brain_extract: false, magnetic_field_strength: 3 },
                    associated_masks: {
                      anonymization_mask: `${root}/OpenMind/ds000117/sub-01/anat/sub-01_T1w__Data/deface_mask.nii.gz`,
                      anatomy_mask: null,
                    },
                  },
                ],
              },
            },
          },
        },
      },
    },
  };
}

describe('writePretrainData / readPretrainData', () => {
  it('should write $nnssl_raw-relative paths and read them back resolved', async () => {
    const env = { nnssl_raw: '/data/raw/' };
    const file = join(work, 'pretrain_data.json');
    await writePretrainData(file, sample('/data/raw/Dataset745_OpenMind'), { env });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('"image_path": "$nnssl_raw/Dataset745_OpenMind/OpenMind/ds000117/sub-01/anat/sub-01_T1w.nii.gz"');
    expect(text).toContain('"anatomy_mask": null');
    const back = await readPretrainData(file, { env: { nnssl_raw: '/mnt/elsewhere' } });
    const img = back.datasets['ds000117']!.subjects['sub-01']!.sessions['ses-DEFAULT']!.images[0]!;
    expect(img.image_path).toBe('/mnt/elsewhere/Dataset745_OpenMind/OpenMind/ds000117/sub-01/anat/sub-01_T1w.nii.gz');
    expect(img.associated_masks!.anonymization_mask).toMatch(/^\/mnt\/elsewhere\/.*deface_mask\.nii\.gz$/);
    expect(back.datasets['ds000117']!.dataset_info).toEqual(sample('x').datasets['ds000117']!.dataset_info);
  });

  it('should keep $VAR paths as written when asked not to resolve', async () => {
    const file = join(work, 'unresolved.json');
    await writePretrainData(file, sample('/data/raw'), { env: { nnssl_raw: '/data/raw' } });
    const back = await readPretrainData(file, { resolvePaths: false });
    expect(toIndependentImages(back)[0]!.image_path).toMatch(/^\$nnssl_raw\/OpenMind\//);
  });

  it('should name the variable when a $VAR is not set', async () => {
    const file = join(work, 'unset.json');
    await writePretrainData(file, sample('/data/raw'), { env: { nnssl_raw: '/data/raw' } });
    await expect(readPretrainData(file, { env: {} })).rejects.toThrow(/environment variable nnssl_raw is not set/);
  });

  it('should name the key path of a malformed entry', async () => {
    const bad = JSON.parse(JSON.stringify(sample('/r')));
    delete bad.datasets.ds000117.subjects['sub-01'].sessions['ses-DEFAULT'].images[0].modality;
    const file = join(work, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const err = await readPretrainData(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenMindError);
    expect((err as Error).message).toContain(`"${file}": datasets.ds000117.subjects.sub-01.sessions.ses-DEFAULT.images[0].modality must be a string, but got nothing.`);
  });

  it("should accept Python's NaN and Infinity tokens (as null) outside strings only", () => {
    expect(parsePythonJson('{"a": NaN, "b": [-Infinity, Infinity], "c": "NaN is a word"}')).toEqual({ a: null, b: [null, null], c: 'NaN is a word' });
  });

  it('should flatten images and build nnssl ids', () => {
    const [img] = toIndependentImages(sample('/r'));
    expect(uniqueImageId(img!)).toBe('Dataset001_OpenMind__ds000117__sub-01__ses-DEFAULT__sub-01_T1w.nii.gz');
    expect(uniqueSubjectId(img!)).toBe('Dataset001_OpenMind__ds000117__sub-01');
    expect(img!.associated_masks.anatomy_mask).toBeNull();
  });

  it('should leave no temporary file next to the output', async () => {
    const dir = mkdtempSync(join(work, 'atomic-'));
    await writePretrainData(join(dir, 'pretrain_data.json'), sample('/r'));
    expect(readdirSync(dir)).toEqual(['pretrain_data.json']);
  });

  it.skipIf(!py.ok)('should be byte-identical to json.dump(indent=4, sort_keys=True) of the same data in Python', async () => {
    const file = join(work, 'python-format.json');
    await writePretrainData(file, sample('/data/raw'), { env: {} });
    const redumped = runPython(['-c', 'import json, sys\nprint(json.dumps(json.load(open(sys.argv[1])), indent=4, sort_keys=True), end="")', file]);
    expect(readFileSync(file, 'utf8')).toBe(redumped);
  });
});
