import { OpenMindError } from '@openmind-ssl/core';
import type { PretrainCollection } from './pretrain-data.js';
import { toIndependentImages, uniqueSubjectId } from './pretrain-data.js';
import { compareCodePoints } from './python-json.js';
import { PythonRandom } from './python-random.js';

/** nnssl's `splits_final.json`: subject ids `"<collection_name>__<dataset_index>__<subject_id>"`. */
export interface SubjectSplit {
  train: string[];
  val: string[];
}

/** The seed nnssl hard-codes for the split. */
export const NNSSL_SPLIT_SEED = 12345;

/** nnssl's number of validation subjects: min(1000, max(⌊n/100⌋, 5)). */
export function nnsslValidationCount(subjects: number): number {
  return Math.min(1000, Math.max(Math.floor(subjects / 100), 5));
}

/**
 * The train/val split nnssl makes when `splits_final.json` is missing (`AbstractBaseTrainer.do_split`):
 * the unique subject ids, sorted; n_val = min(1000, max(⌊n/100⌋, 5)); val =
 * `random.Random(12345).sample(sorted_ids, n_val)` (Python's Mersenne Twister, reproduced exactly);
 * train = the rest. nnssl takes the rest from a Python set, whose order varies between runs; here train
 * is sorted. Pass the unfiltered collection: nnssl splits before it applies filters.
 * @returns val in sample order, train sorted
 * @throws OpenMindError when there are fewer than 5 subjects (nnssl's sample raises ValueError there)
 */
export function subjectSplit(collection: PretrainCollection, seed: number = NNSSL_SPLIT_SEED): SubjectSplit {
  return splitSubjects(toIndependentImages(collection).map(uniqueSubjectId), `"${collection.collection_name}"`, seed);
}

/**
 * {@link subjectSplit} over subject ids directly (e.g. those of a preprocessed store's manifest);
 * duplicates are ignored. `source` names the data in errors.
 */
export function splitSubjects(subjectIds: readonly string[], source: string, seed: number = NNSSL_SPLIT_SEED): SubjectSplit {
  const ids = [...new Set(subjectIds)].sort(compareCodePoints);
  if (ids.length === 0) throw new OpenMindError(`subjectSplit: ${source} has no images, so there are no subjects to split.`);
  const nVal = nnsslValidationCount(ids.length);
  if (ids.length < nVal) {
    throw new OpenMindError(
      `subjectSplit: nnssl's split takes ${nVal} validation subjects, so the data must have at least ${nVal} subjects, but ${source} has ${ids.length}.`,
    );
  }
  const val = new PythonRandom(seed).sample(ids, nVal);
  const taken = new Set(val);
  return { train: ids.filter((id) => !taken.has(id)), val };
}
