import { OpenMindError, type Rng } from '@openmind-ssl/core';
import type { ClassificationSplit } from '../data/classification-folder.js';

/**
 * k train/validation splits where every case is validated once: the cases of each class are shuffled
 * (seeded) and dealt round-robin over the folds, so each fold's class balance follows the dataset's.
 * @param classOf the class index of each case (for multi-label: any one stratum, e.g. the first label)
 */
export function kFoldSplits(caseIds: readonly string[], classOf: (id: string) => number, k: number, rng: Rng): ClassificationSplit[] {
  if (!Number.isInteger(k) || k < 2 || k > caseIds.length) throw new OpenMindError(`folds: k must be an integer in [2, ${caseIds.length}] (the number of cases), got ${k}.`);
  const folds: string[][] = Array.from({ length: k }, () => []);
  const byClass = new Map<number, string[]>();
  for (const id of [...caseIds].sort()) byClass.set(classOf(id), [...(byClass.get(classOf(id)) ?? []), id]);
  let next = 0;
  for (const [, ids] of [...byClass].sort((a, b) => a[0] - b[0])) {
    for (const i of rng.permutation(ids.length)) folds[next++ % k]!.push(ids[i]!);
  }
  return folds.map((val, f) => ({ train: folds.filter((_, g) => g !== f).flat().sort(), val: [...val].sort() }));
}
