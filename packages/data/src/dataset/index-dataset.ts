import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { readNifti, readNiftiHeader } from '../nifti/read-nifti.js';
import type { IndexProblem } from './build-openmind.js';
import type { FourDPolicy } from './four-d-images.js';
import { splitVolumes, volumesOf } from './four-d-images.js';
import { buildOpenMindCollection } from './build-openmind.js';
import { buildFolderCollection } from './build-folder.js';
import type { ImageFilter } from './filters.js';
import { filterCollection, iqsFilter, modalityFilter } from './filters.js';
import type { PretrainCollection } from './pretrain-data.js';
import type { CollectionSummary } from './summarize-collection.js';
import { summarizeCollection } from './summarize-collection.js';
import type { WritePretrainDataOptions } from './write-pretrain-data.js';
import { writePretrainData } from './write-pretrain-data.js';

/** Options of {@link indexDataset}. */
export interface IndexDatasetOptions {
  /** Write the collection here (atomically; nothing is written when indexing fails). */
  out?: string;
  /** Read every voxel (gzip integrity, file size, NaN/Inf), not only the header. Slower; default false. */
  verify?: boolean;
  /** Keep images with image quality score ≤ this (OpenMind roots only). */
  iqsMax?: number;
  /** Keep images of these modalities. */
  modalities?: readonly string[];
  /** Force the layout instead of detecting it (an OpenMind root has openneuro_metadata.csv). */
  layout?: 'openmind' | 'folder';
  /** Collection name (default: "Dataset001_OpenMind" for OpenMind, else the folder name). */
  collectionName?: string;
  /** Files checked at once. Default 4. */
  concurrency?: number;
  /** Path rewriting when writing, see writePretrainData. */
  write?: WritePretrainDataOptions;
  /** 4-D images: 'split' into one 3-D image per volume (default) or 'refuse' them (left out, with the reason). */
  fourD?: FourDPolicy;
  /** Called after each checked image, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link indexDataset} found. */
export interface IndexResult {
  layout: 'openmind' | 'folder';
  collection: PretrainCollection;
  summary: CollectionSummary;
  /** Files left out (bad or missing images) or changed (bad masks dropped), with reasons. */
  problems: IndexProblem[];
  /** Images removed by the IQS and modality filters. */
  filteredOut: number;
}

async function checkFile(path: string, verify: boolean): Promise<{ reason?: string; shape?: number[] }> {
  try {
    return { shape: verify ? (await readNifti(path, { nonFinite: 'error' })).shape : (await readNiftiHeader(path)).shape };
  } catch (err) {
    return { reason: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Indexes a dataset into an nnssl collection: builds it from an OpenMind root or a plain NIfTI folder,
 * checks every image and mask (header, or every voxel with `verify`), leaves out bad images and drops bad
 * masks, reporting each with its reason, splits each 4-D series into 3-D volume entries (or refuses it,
 * see {@link IndexDatasetOptions.fourD}), applies the IQS / modality filters, and writes
 * `pretrain_data.json` atomically. One bad file never stops the run.
 * @throws OpenMindError when the root cannot be indexed at all or no valid image remains (nothing is written)
 */
export async function indexDataset(root: string, options: IndexDatasetOptions = {}): Promise<IndexResult> {
  const layout = options.layout ?? (existsSync(join(root, 'openneuro_metadata.csv')) ? 'openmind' : 'folder');
  const problems: IndexProblem[] = [];
  let collection: PretrainCollection;
  if (layout === 'openmind') {
    const built = await buildOpenMindCollection(root, options.collectionName ? { collectionName: options.collectionName } : {});
    collection = built.collection;
    problems.push(...built.problems);
  } else {
    collection = await buildFolderCollection(root, options.collectionName ? { collectionName: options.collectionName } : {});
  }

  // Check files with bounded concurrency; results are applied in collection order so reports are stable.
  // An image job also decides what a 4-D series becomes (split into volumes or refused), here rather
  // than mid-training.
  const fourD = options.fourD ?? 'split';
  const jobs: { path: string; apply: (reason: string) => void; image?: (shape: number[]) => string | undefined }[] = [];
  for (const ds of Object.values(collection.datasets)) {
    for (const sub of Object.values(ds.subjects)) {
      for (const ses of Object.values(sub.sessions)) {
        for (const img of ses.images) {
          const image = (shape: number[]): string | undefined => {
            const v = volumesOf(shape);
            if ('problem' in v) return v.problem;
            if (v.volumes === 1) return undefined;
            if (fourD === 'refuse') {
              return `the image is a 4-D series of ${v.volumes} volumes (shape [${shape.join(', ')}]), refused by --4d refuse; --4d split (the default) indexes each volume as a 3-D image`;
            }
            ses.images = ses.images.flatMap((i) => (i === img ? splitVolumes(img, v.volumes) : [i]));
            return undefined;
          };
          jobs.push({ path: img.image_path, apply: () => (ses.images = ses.images.filter((i) => i !== img)), image });
          const masks = img.associated_masks;
          if (masks?.anonymization_mask) jobs.push({ path: masks.anonymization_mask, apply: () => (masks.anonymization_mask = null) });
          if (masks?.anatomy_mask) jobs.push({ path: masks.anatomy_mask, apply: () => (masks.anatomy_mask = null) });
        }
      }
    }
  }
  const reasons: { reason?: string; shape?: number[] }[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      reasons[i] = await checkFile(jobs[i]!.path, options.verify ?? false);
      options.onProgress?.(++done, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  jobs.forEach((job, i) => {
    const checked = reasons[i]!;
    const reason = checked.reason ?? (job.image && checked.shape ? job.image(checked.shape) : undefined);
    if (reason === undefined) return;
    job.apply(reason);
    problems.push({ path: job.path, reason });
  });

  const filters: ImageFilter[] = [];
  if (options.iqsMax !== undefined) filters.push(iqsFilter(collection, options.iqsMax));
  if (options.modalities?.length) filters.push(modalityFilter(options.modalities));
  const before = summarizeCollection(collection).total.images;
  // Filtering also drops sessions and subjects left empty by removed images.
  collection = filterCollection(collection, filters);
  const summary = summarizeCollection(collection);
  if (summary.total.images === 0) {
    throw new OpenMindError(
      `indexDataset: no valid image remains in "${root}" (${problems.length} problem file(s), ${before} image(s) before filters); nothing was written.`,
    );
  }
  if (options.out) await writePretrainData(options.out, collection, options.write);
  return { layout, collection, summary, problems, filteredOut: before - summary.total.images };
}
