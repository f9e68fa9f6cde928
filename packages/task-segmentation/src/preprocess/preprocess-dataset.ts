import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenMindError, removeStaleTemporaries, writeFileAtomic } from '@openmind-ssl/core';
import type { PreprocessProgress } from '@openmind-ssl/data';
import type { SegmentationPlan } from '../contract.js';
import { loadRawCase } from '../dataset/load-raw-case.js';
import type { SegmentationDataset } from '../dataset/open-dataset.js';
import { readCaseRecord, writeCaseFiles } from './case-files.js';
import { preprocessSegmentationCase } from './preprocess-case.js';

/** The plan as written into a preprocessed folder. */
export const PLAN_FILE = 'plan.json';
/** The case ids of a finished folder, written last. */
export const CASES_FILE = 'cases.json';

/** Options of {@link preprocessSegmentationDataset}. */
export interface PreprocessSegmentationOptions {
  /** Progress after each case (pass `progressBar()` from @openmind-ssl/data for a bar). */
  onProgress?: (p: PreprocessProgress) => void;
  /** Replace a folder preprocessed with another plan instead of refusing. Default false. */
  overwrite?: boolean;
}

/** A short stable key of what decides the preprocessed voxels, so a resumed run notices a changed plan. */
export function preprocessingKey(plan: SegmentationPlan): string {
  const decisive = {
    spacing: plan.spacing, transpose: plan.transpose, channelNames: plan.channelNames, normalization: plan.normalization,
    useMaskForNorm: plan.useMaskForNorm, labels: plan.labels, fileEnding: plan.fileEnding,
  };
  return createHash('sha256').update(JSON.stringify(decisive)).digest('hex').slice(0, 16);
}

/**
 * Preprocesses every case of `dataset` with `plan` into `outDir` (`plan.json`, `cases/<id>.bin` + `.json`,
 * `cases.json`): see `preprocessSegmentationCase`. Resumable: a case whose record exists for the same plan
 * is skipped; each case is written atomically (binary, then its record). A bad case stops the run with an
 * error naming it.
 * @throws OpenMindError when `outDir` holds a folder preprocessed with another plan (unless `overwrite`).
 */
export async function preprocessSegmentationDataset(
  dataset: SegmentationDataset,
  plan: SegmentationPlan,
  outDir: string,
  options: PreprocessSegmentationOptions = {},
): Promise<{ done: number; skipped: number }> {
  const key = preprocessingKey(plan);
  const planFile = join(outDir, PLAN_FILE);
  const existing = await readFile(planFile, 'utf8').then((t) => JSON.parse(t) as SegmentationPlan, () => null);
  if (existing && preprocessingKey(existing) !== key) {
    if (!options.overwrite) {
      throw new OpenMindError(`preprocess "${outDir}": the folder must hold cases of the same plan, but it was preprocessed with another (spacing, transpose, channels, normalisation or labels differ).\nHint: choose a new folder, or pass overwrite to replace it.`);
    }
    await rm(join(outDir, 'cases'), { recursive: true, force: true });
    await rm(join(outDir, CASES_FILE), { force: true });
  }
  await mkdir(join(outDir, 'cases'), { recursive: true });
  // A run killed mid-case left its half-written temporaries.
  await removeStaleTemporaries(outDir);
  await removeStaleTemporaries(join(outDir, 'cases'));
  await writeFileAtomic(planFile, `${JSON.stringify(plan, null, 2)}\n`);
  const start = Date.now();
  let done = 0;
  let skipped = 0;
  const total = dataset.cases.length;
  for (const c of dataset.cases) {
    const record = await readCaseRecord(outDir, c.id);
    if (record && record.planKey === key) {
      skipped++;
    } else {
      const raw = await loadRawCase(dataset, c.id);
      await writeCaseFiles(outDir, preprocessSegmentationCase(raw, plan), key);
    }
    done++;
    options.onProgress?.({ done, total, skipped, failed: 0, id: c.id, elapsedMs: Date.now() - start });
  }
  await writeFileAtomic(join(outDir, CASES_FILE), `${JSON.stringify(dataset.cases.map((c) => c.id))}\n`);
  return { done: done - skipped, skipped };
}
