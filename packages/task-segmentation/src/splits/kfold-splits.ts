import { readFile } from 'node:fs/promises';
import { OpenMindError, writeFileAtomic } from '@openmind-ssl/core';
import { compareCodePoints } from '@openmind-ssl/data';
import { NumpyRandomState } from '../random/numpy-random-state.js';

/** One cross-validation fold as nnU-Net's `splits_final.json` lists it. */
export interface SplitFold {
  train: string[];
  val: string[];
}

/** nnU-Net's split seed and fold count. */
export const SPLIT_SEED = 12345;
export const SPLIT_FOLDS = 5;
/** nnU-Net's split file name. */
export const SPLITS_FILE = 'splits_final.json';

/**
 * nnU-Net's cross-validation split (`generate_crossval_split`): scikit-learn's
 * `KFold(n_splits, shuffle=True, random_state=seed)` over the case ids sorted in code-point order. The
 * indices are shuffled with numpy's `RandomState(seed)`; fold k validates on the k-th consecutive chunk of
 * the shuffled order (the first n % k chunks one longer) and trains on the rest; both lists in sorted order. Equal to scikit-learn's split.
 * @throws OpenMindError when there are fewer cases than folds (scikit-learn refuses too).
 */
export function kFoldSplits(caseIds: readonly string[], nSplits = SPLIT_FOLDS, seed = SPLIT_SEED): SplitFold[] {
  const ids = [...caseIds].sort(compareCodePoints);
  const n = ids.length;
  if (!Number.isInteger(nSplits) || nSplits < 2) throw new RangeError(`kFoldSplits: nSplits must be an integer ≥ 2, but got ${nSplits}.`);
  if (n < nSplits) {
    throw new OpenMindError(`kFoldSplits: ${nSplits}-fold cross-validation needs at least ${nSplits} cases, but the dataset has ${n}.\nHint: nnU-Net then trains fold ≥ number of splits on a seeded 80:20 split (randomSplit8020).`);
  }
  const order = new NumpyRandomState(seed).permutation(n);
  const folds: SplitFold[] = [];
  let start = 0;
  for (let k = 0; k < nSplits; k++) {
    const size = Math.floor(n / nSplits) + (k < n % nSplits ? 1 : 0);
    const test = order.subarray(start, start + size);
    const inTest = new Set(test);
    // scikit-learn turns each test chunk into a mask, so both lists come out in sorted order.
    folds.push({ train: ids.filter((_, i) => !inTest.has(i)), val: ids.filter((_, i) => inTest.has(i)) });
    start += size;
  }
  return folds;
}

/**
 * nnU-Net's split for a fold beyond the split file: `RandomState(12345 + fold).choice(n, int(0.8 n),
 * replace=False)` over the sorted ids trains (in drawn order), the rest validates (in sorted order).
 */
export function randomSplit8020(caseIds: readonly string[], fold: number): SplitFold {
  const ids = [...caseIds].sort(compareCodePoints);
  const chosen = new NumpyRandomState(SPLIT_SEED + fold).choiceWithoutReplacement(ids.length, Math.floor(ids.length * 0.8));
  const inTrain = new Set(chosen);
  return { train: Array.from(chosen, (i) => ids[i]!), val: ids.filter((_, i) => !inTrain.has(i)) };
}

/**
 * The cases of one fold as nnU-Net picks them: `'all'` trains and validates on every case; a fold within the
 * splits takes that entry; a larger fold gets {@link randomSplit8020}.
 * @throws RangeError for a negative or non-integer fold.
 */
export function foldCases(splits: readonly SplitFold[], caseIds: readonly string[], fold: number | 'all'): SplitFold {
  if (fold === 'all') {
    const ids = [...caseIds].sort(compareCodePoints);
    return { train: ids, val: [...ids] };
  }
  if (!Number.isInteger(fold) || fold < 0) throw new RangeError(`foldCases: fold must be a non-negative integer or 'all', but got ${fold}.`);
  const f = splits[fold];
  return f ? { train: [...f.train], val: [...f.val] } : randomSplit8020(caseIds, fold);
}

/** Writes splits in nnU-Net's `splits_final.json` form (a list of {train, val}), atomically. */
export async function writeSplits(file: string, splits: readonly SplitFold[]): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(splits.map((s) => ({ train: s.train, val: s.val })), null, 4)}\n`);
}

/** Reads a `splits_final.json`. @throws OpenMindError naming the file when it is not a list of {train, val} string lists. */
export async function readSplits(file: string): Promise<SplitFold[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new OpenMindError(`splits "${file}": the file must be readable JSON, but ${(err as Error).message}.`);
  }
  const isIds = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (!Array.isArray(json) || !json.every((f) => f && typeof f === 'object' && isIds((f as SplitFold).train) && isIds((f as SplitFold).val))) {
    throw new OpenMindError(`splits "${file}": the file must be a list of {"train": [ids], "val": [ids]}, but got ${JSON.stringify(json)?.slice(0, 80)}.`);
  }
  return json as SplitFold[];
}

/**
 * The splits of `caseIds` stored in `file`: read when the file exists (nnU-Net keeps a user-edited file),
 * else computed with {@link kFoldSplits} and written.
 */
export async function loadOrCreateSplits(file: string, caseIds: readonly string[]): Promise<SplitFold[]> {
  try {
    await readFile(file);
  } catch {
    const splits = kFoldSplits(caseIds);
    await writeSplits(file, splits);
    return splits;
  }
  return readSplits(file);
}
