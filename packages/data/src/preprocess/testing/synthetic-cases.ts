import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from '@openmind-ssl/core';
import { createNiftiImage } from '../../nifti/create-nifti-image.js';
import { writeNifti } from '../../nifti/write-nifti.js';
import type { PretrainCollection, PretrainImage } from '../../dataset/pretrain-data.js';
import { writePretrainData } from '../../dataset/write-pretrain-data.js';

/** A small synthetic head in NIfTI axis order (x fastest): image, anatomy and anonymization masks. */
export interface SyntheticHead {
  /** [X, Y, Z]. */
  shape: [number, number, number];
  spacing: [number, number, number];
  image: Float32Array;
  /** 1 inside the "brain" ellipsoid. */
  anatomy: Uint8Array;
  /** 1 on the defaced slab at low x (front of the head). */
  anonymization: Uint8Array;
}

/**
 * A head-like volume: zero background, an ellipsoid "head" at intensity ~1, a "brain" ellipsoid at ~3
 * inside it, seeded noise; the anatomy mask is the brain, the anonymization mask a slab of the head at
 * low x. Tiny and fast (tests use 10–30 voxels per axis).
 */
export function syntheticHead(shape: [number, number, number], spacing: [number, number, number], seed: number): SyntheticHead {
  const rng = new Rng(seed);
  const [X, Y, Z] = shape;
  const n = X * Y * Z;
  const image = new Float32Array(n);
  const anatomy = new Uint8Array(n);
  const anonymization = new Uint8Array(n);
  const c = shape.map((s) => (s - 1) / 2 + rng.uniformIn(-0.5, 0.5));
  for (let z = 0; z < Z; z++) {
    for (let y = 0; y < Y; y++) {
      for (let x = 0; x < X; x++) {
        const i = x + X * (y + Y * z);
        const r2 = ((x - c[0]!) / (0.42 * X)) ** 2 + ((y - c[1]!) / (0.42 * Y)) ** 2 + ((z - c[2]!) / (0.42 * Z)) ** 2;
        if (r2 >= 1) continue;
        const brain = r2 < 0.45;
        image[i] = (brain ? 3 : 1) + 0.05 * rng.normal();
        anatomy[i] = brain ? 1 : 0;
        anonymization[i] = x < c[0]! - 0.25 * X ? 1 : 0;
      }
    }
  }
  return { shape, spacing, image, anatomy, anonymization };
}

/** Options of {@link writeSyntheticDataset}. */
export interface SyntheticDatasetOptions {
  cases: number;
  shape?: [number, number, number];
  spacing?: [number, number, number];
  /** Case indices whose image gets a NaN voxel (nnssl rejects those). */
  nanCases?: number[];
  /** Case indices whose anatomy mask has the wrong shape. */
  badMaskCases?: number[];
  /** Case indices without masks. */
  noMaskCases?: number[];
}

/** Writes NIfTI heads and a `pretrain_data.json` (one collection, one dataset, one session per subject). */
export async function writeSyntheticDataset(dir: string, options: SyntheticDatasetOptions): Promise<string> {
  await mkdir(dir, { recursive: true });
  const shape = options.shape ?? [14, 12, 10];
  const spacing = options.spacing ?? [1.2, 0.9, 1.5];
  const subjects: PretrainCollection['datasets'][string]['subjects'] = {};
  for (let k = 0; k < options.cases; k++) {
    const head = syntheticHead(shape, spacing, 1000 + k);
    if (options.nanCases?.includes(k)) head.image[Math.floor(head.image.length / 2)] = NaN;
    const sub = `sub-${String(k).padStart(2, '0')}`;
    const base = join(dir, sub);
    await mkdir(base, { recursive: true });
    await writeNifti(join(base, `${sub}_T1w.nii.gz`), createNiftiImage(head.image, shape, { spacing }));
    let masks: PretrainImage['associated_masks'] = null;
    if (!options.noMaskCases?.includes(k)) {
      const anatShape: [number, number, number] = options.badMaskCases?.includes(k) ? [shape[0] - 1, shape[1], shape[2]] : shape;
      const anat = options.badMaskCases?.includes(k) ? new Uint8Array(anatShape[0] * anatShape[1] * anatShape[2]) : head.anatomy;
      await writeNifti(join(base, 'fb_mask.nii.gz'), createNiftiImage(anat, anatShape, { spacing }));
      await writeNifti(join(base, 'deface_mask.nii.gz'), createNiftiImage(head.anonymization, shape, { spacing }));
      masks = { anonymization_mask: join(base, 'deface_mask.nii.gz'), anatomy_mask: join(base, 'fb_mask.nii.gz') };
    }
    subjects[sub] = {
      subject_id: sub,
      subject_info: null,
      sessions: {
        'ses-DEFAULT': {
          session_id: 'ses-DEFAULT',
          session_info: null,
          images: [{ name: `${sub}_T1w.nii.gz`, image_path: join(base, `${sub}_T1w.nii.gz`), modality: 'T1w', image_info: null, associated_masks: masks }],
        },
      },
    };
  }
  const collection: PretrainCollection = {
    collection_index: 1,
    collection_name: 'Dataset001_Synthetic',
    datasets: { ds000001: { dataset_index: 'ds000001', name: null, dataset_info: null, subjects } },
  };
  const file = join(dir, 'pretrain_data.json');
  await writePretrainData(file, collection, { relativeTo: [] });
  return file;
}
