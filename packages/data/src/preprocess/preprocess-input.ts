import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import type { PretrainCollection } from '../dataset/pretrain-data.js';
import { toIndependentImages, uniqueImageId, uniqueSubjectId } from '../dataset/pretrain-data.js';
import { indexDataset } from '../dataset/index-dataset.js';
import type { FourDPolicy } from '../dataset/four-d-images.js';
import { volumeIndexOf } from '../dataset/four-d-images.js';
import { readPretrainData } from '../dataset/read-pretrain-data.js';

/** One image to preprocess, with its masks and where its result goes. */
export interface PreprocessInputCase {
  /** Unique image id (`collection__dataset__subject__session__image`). */
  id: string;
  /** Unique subject id (`collection__dataset__subject`). */
  subjectId: string;
  imagePath: string;
  anonymizationMaskPath: string | null;
  anatomyMaskPath: string | null;
  /** Output path relative to the configuration folder, without extension (nnssl `get_output_path`). */
  outputPath: string;
  /** The volume of a 4-D series this case is (indexing split it); absent for a 3-D image. */
  volumeIndex?: number;
}

/**
 * What preprocessing reads: a `pretrain_data.json` file, a folder holding one, a dataset root to index
 * (an OpenMind root with `openneuro_metadata.csv`, or a plain NIfTI folder), a collection, or a case list.
 */
export type PreprocessInput = string | PretrainCollection | PreprocessInputCase[];

/** The image file name without its medical-image extension. */
export function stripImageExtension(name: string): string {
  for (const ext of ['.nii.gz', '.in.nrrd', '.nii', '.nrrd', '.mha']) if (name.endsWith(ext)) return name.slice(0, -ext.length);
  return name;
}

/** The cases of a collection in file order, with nnssl's ids and output paths. */
export function casesOfCollection(collection: PretrainCollection): PreprocessInputCase[] {
  return toIndependentImages(collection).map((img) => {
    const volumeIndex = volumeIndexOf(img);
    return {
    id: uniqueImageId(img),
    subjectId: uniqueSubjectId(img),
    imagePath: img.image_path,
    anonymizationMaskPath: img.associated_masks.anonymization_mask,
    anatomyMaskPath: img.associated_masks.anatomy_mask,
    outputPath: [img.collection_name, String(img.dataset_index), img.subject_id, img.session_id, stripImageExtension(img.image_name)].join('/'),
    ...(volumeIndex !== undefined ? { volumeIndex } : {}),
    };
  });
}

/**
 * Resolves the preprocessing input into a case list and a dataset name.
 * @throws OpenMindError for a missing path, an unreadable index or dataset root, or a case list with
 *   duplicate ids.
 */
export async function resolvePreprocessInput(
  input: PreprocessInput,
  fourD: FourDPolicy = 'split',
): Promise<{ cases: PreprocessInputCase[]; datasetName: string; collection: PretrainCollection | null; problems: { path: string; reason: string }[] }> {
  if (Array.isArray(input)) {
    const seen = new Set<string>();
    for (const c of input) {
      if (seen.has(c.id)) throw new OpenMindError(`preprocess: case ids must be unique, but "${c.id}" appears twice.`);
      seen.add(c.id);
    }
    return { cases: input, datasetName: 'cases', collection: null, problems: [] };
  }
  let collection: PretrainCollection;
  let problems: { path: string; reason: string }[] = [];
  if (typeof input === 'string') {
    if (!existsSync(input)) throw new OpenMindError(`preprocess: the input "${input}" must be a pretrain_data.json file or a dataset folder, but it does not exist.`);
    if (statSync(input).isDirectory()) {
      const file = join(input, 'pretrain_data.json');
      if (existsSync(file)) {
        collection = await readPretrainData(file);
      } else {
        // An OpenMind root (openneuro_metadata.csv) or a plain NIfTI folder: index it first.
        const indexed = await indexDataset(input, { fourD });
        collection = indexed.collection;
        problems = indexed.problems;
      }
    } else {
      collection = await readPretrainData(input);
    }
  } else {
    collection = input;
  }
  return { cases: casesOfCollection(collection), datasetName: collection.collection_name, collection, problems };
}
