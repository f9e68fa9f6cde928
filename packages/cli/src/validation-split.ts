import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenMindError, writeFileAtomic } from '@openmind-ssl/core';
import { nnsslValidationCount, openPreprocessedStore, splitSubjects, type SubjectSplit } from '@openmind-ssl/data';

/** The store's case ids on each side of the train/val split, and where the split came from. */
export interface CaseSplit {
  train: string[];
  val: string[];
  /** The splits_final.json that was read or written. */
  file: string;
}

function readSplitFile(file: string, text: string): SubjectSplit {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new OpenMindError(`${file}: not valid JSON (${(e as Error).message}); expected {"train": [subject ids], "val": [subject ids]}`);
  }
  const r = raw as Partial<Record<'train' | 'val', unknown>>;
  for (const key of ['train', 'val'] as const) {
    if (!Array.isArray(r[key]) || !r[key].every((x) => typeof x === 'string')) {
      throw new OpenMindError(`${file}: field '${key}' must be an array of subject ids ("<collection>__<dataset>__<subject>")`);
    }
  }
  return r as SubjectSplit;
}

/**
 * nnssl's train/val split for a store: `splits_final.json` beside the store when there is one (nnssl keeps
 * it in the preprocessed dataset folder), else nnssl's seeded split of the store's subjects, written to
 * `<runDir>/splits_final.json`. `skipped` (with why) when the store has fewer subjects than nnssl's split
 * holds out (5): too few to spare any for validation.
 */
export async function validationSplit(store: string, runDir: string): Promise<CaseSplit | { skipped: string }> {
  const cases = openPreprocessedStore(store).cases;
  const beside = join(store, '..', 'splits_final.json');
  const own = join(runDir, 'splits_final.json');
  let split: SubjectSplit;
  let file = [beside, own].find((f) => existsSync(f));
  if (file !== undefined) {
    split = readSplitFile(file, await readFile(file, 'utf8'));
  } else {
    const subjects = new Set(cases.map((c) => c.subjectId));
    const needed = nnsslValidationCount(subjects.size);
    if (subjects.size < needed) return { skipped: `${subjects.size} subjects in the store; nnssl's split holds out ${needed}` };
    split = splitSubjects([...subjects], `store '${store}'`);
    file = own;
    await writeFileAtomic(own, `${JSON.stringify(split, null, 4)}\n`);
  }
  const val = new Set(split.val);
  const train = new Set(split.train);
  const out = {
    train: cases.filter((c) => train.has(c.subjectId)).map((c) => c.id),
    val: cases.filter((c) => val.has(c.subjectId)).map((c) => c.id),
    file,
  };
  if (out.train.length === 0 || out.val.length === 0) {
    throw new OpenMindError(`${file}: its ${out.train.length === 0 ? 'train' : 'val'} subjects have no case in store '${store}'; remove the file to split this store afresh`);
  }
  return out;
}
