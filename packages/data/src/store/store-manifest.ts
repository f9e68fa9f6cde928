import type { CaseTargetInput } from '../loader/case-targets.js';
import type { CaseStorageOptions } from './case-writer.js';

/** File name of the manifest in a configuration folder. */
export const STORE_MANIFEST = 'manifest.json';

/**
 * The list of preprocessed cases of a configuration folder, written at the end of every preprocessing
 * run (in input order, so an interrupted-and-resumed run writes the same file as an uninterrupted one).
 */
export interface StoreManifest {
  formatVersion: 1;
  datasetName: string;
  /** 'onemmiso', 'median' or 'noresample'. */
  configuration: string;
  plansName: string;
  storage: CaseStorageOptions;
  /**
   * Complete cases: unique id, subject id, group folder relative to the configuration folder, and optional
   * per-case targets (e.g. `{ "class": 2 }`) that the loader hands on with every sample of the case.
   */
  cases: { id: string; subjectId: string; path: string; targets?: Record<string, CaseTargetInput> }[];
  /** Cases that failed, with the reason. */
  failed: { id: string; error: string }[];
}
