import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenMindError, writeFileAtomic } from '@openmind-ssl/core';

/** One of n parts of a preprocessing run (nnssl `-part k -total_parts n`), 0-based. */
export interface PreprocessPart {
  index: number;
  count: number;
}

/**
 * The cases of one part, as nnssl splits them: n contiguous chunks of ⌊N/n⌋ cases, the last taking the
 * remainder. Returns the half-open index range [start, end).
 * @throws OpenMindError for a part outside 0 ≤ index < count.
 */
export function partRange(total: number, part: PreprocessPart): [number, number] {
  if (!Number.isInteger(part.count) || part.count < 1 || !Number.isInteger(part.index) || part.index < 0 || part.index >= part.count) {
    throw new OpenMindError(`preprocess: --part must be in 0..${part.count - 1} and --parts at least 1, but got part ${part.index} of ${part.count}.`);
  }
  const size = Math.floor(total / part.count);
  return [part.index * size, part.index === part.count - 1 ? total : (part.index + 1) * size];
}

/** The record a finished part leaves beside the plans (nnssl names its lists `valid_imgs__{k}_of_{n}.json`). */
export const partFile = (out: string, part: PreprocessPart) => join(out, `part__${part.index}_of_${part.count}.json`);

interface PartRecord {
  part: number;
  parts: number;
  configuration: string;
  /** Cases of this part that could not be preprocessed. */
  failed: { id: string; error: string }[];
}

/** Marks a part finished (atomically), with the cases it could not preprocess. */
export async function writePartRecord(out: string, part: PreprocessPart, configuration: string, failed: { id: string; error: string }[]): Promise<void> {
  const record: PartRecord = { part: part.index, parts: part.count, configuration, failed };
  await writeFileAtomic(partFile(out, part), `${JSON.stringify(record, null, 1)}\n`);
}

/**
 * The failures of every part once all n parts of `configuration` are finished, else undefined (the store
 * is merged by whichever part finishes last, or by `openmind preprocess --merge`).
 */
export function allPartsFailed(out: string, count: number, configuration: string): { id: string; error: string }[] | undefined {
  const failed: { id: string; error: string }[] = [];
  for (let index = 0; index < count; index++) {
    const file = partFile(out, { index, count });
    if (!existsSync(file)) return undefined;
    const r = JSON.parse(readFileSync(file, 'utf8')) as PartRecord;
    if (r.configuration !== configuration) return undefined;
    failed.push(...r.failed);
  }
  return failed;
}
