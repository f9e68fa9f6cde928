import { join } from 'node:path';
import type { CaseStorageOptions } from '../store/case-writer.js';
import { removeStaleTemps, writeCase } from '../store/case-writer.js';
import { loadCaseInput } from './load-case-input.js';
import { preprocessCase, type CaseSettings } from './preprocess-case.js';
import type { PreprocessInputCase } from './preprocess-input.js';

/** Where a case's group folder goes inside the configuration folder. */
export function caseTarget(dataDir: string, c: PreprocessInputCase): string {
  return join(dataDir, `${c.outputPath}.zarr`);
}

/**
 * Reads, preprocesses and writes one case (clearing what an interrupted earlier attempt left). Runs in a
 * preprocessing worker, or in the calling thread with `workers: 0`.
 * @returns the stored shape `[C, d0, d1, d2]`.
 */
export async function processOneCase(c: PreprocessInputCase, settings: CaseSettings, storage: CaseStorageOptions, dataDir: string): Promise<number[]> {
  const target = caseTarget(dataDir, c);
  await removeStaleTemps(target);
  const result = preprocessCase(await loadCaseInput(c), settings);
  await writeCase(target, result, storage);
  return result.shape;
}
