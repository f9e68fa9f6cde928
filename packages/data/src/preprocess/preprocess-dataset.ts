import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { OpenMindError, writeFileAtomic } from '@openmind-ssl/core';
import { spawnSiblingWorker } from '../loader/spawn-worker.js';
import { DEFAULT_CASE_STORAGE, type CaseStorageOptions } from '../store/case-writer.js';
import { STORE_MANIFEST, type StoreManifest } from '../store/store-manifest.js';
import { extractFingerprint, type Fingerprint } from './fingerprint.js';
import { DEFAULT_CONFIGURATION, configurationOf, planExperiment, plansToNnssl, type Plans } from './plans.js';
import type { CaseSettings } from './preprocess-case.js';
import type { FourDPolicy } from '../dataset/four-d-images.js';
import { resolvePreprocessInput, type PreprocessInput, type PreprocessInputCase } from './preprocess-input.js';
import type { PreprocessTask, PreprocessTaskResult, PreprocessWorkerData } from './preprocess-worker.js';
import { caseTarget, processOneCase } from './process-one-case.js';
import type { PreprocessProgress } from './progress-bar.js';
import { readPlans, writePretrainDataForStore } from './store-files.js';
import { allPartsFailed, partRange, type PreprocessPart, writePartRecord } from './preprocess-parts.js';

/** Options of {@link preprocessDataset} (the `openmind preprocess` command). */
export interface PreprocessDatasetOptions {
  /** `pretrain_data.json`, a folder containing it, an OpenMind root or NIfTI folder to index, a collection, or a case list. */
  input: PreprocessInput;
  /** Output folder (nnssl's `$nnssl_preprocessed/<Dataset>`). */
  out: string;
  /** Configuration: 'onemmiso' (default), 'median' or 'noresample'. */
  config?: string;
  /** Worker threads; 0 runs in the calling thread. Default: available cores − 1, at least 1. */
  workers?: number;
  /** Storage of the image arrays (dtype, chunk, compression). */
  storage?: Partial<CaseStorageOptions>;
  /** Called at the start and after every case; {@link progressBar} draws it. */
  onProgress?: (p: PreprocessProgress) => void;
  /** 4-D images of a dataset folder indexed here: 'split' into 3-D volumes (default) or 'refuse'd. */
  fourD?: FourDPolicy;
  /** Stops dispatching new cases (those in flight finish) and skips writing the manifest. */
  signal?: AbortSignal;
  /**
   * Only this part of the cases (nnssl's `-part k -total_parts n`: n contiguous chunks, the last takes the
   * remainder). Each part records itself; the part that finishes last (or `merge`) writes the manifest.
   */
  part?: PreprocessPart;
  /** Write the manifest of a store whose `part.count` parts are all finished, preprocessing nothing. */
  merge?: boolean;
}

/** What a run did. */
export interface PreprocessSummary {
  plans: Plans;
  /** The configuration folder with the case groups and the manifest. */
  dataDir: string;
  total: number;
  /** Cases written in this run. */
  processed: number;
  /** Cases found complete from an earlier run. */
  skipped: number;
  /** Cases that could not be preprocessed, with the reason. */
  failed: { id: string; error: string }[];
  /** Files left out while indexing a dataset root (input given as a folder without pretrain_data.json). */
  indexProblems: { path: string; reason: string }[];
  /** Whether the manifest was written (false for a part while other parts are unfinished). */
  merged: boolean;
}

/**
 * Preprocesses a dataset as nnssl's `nnssl_plan_and_preprocess`: fingerprint (spacings), plans (median,
 * onemmiso, noresample; transpose rule), then every image with its masks (see `preprocessCase`) into a
 * chunked, compressed Zarr v3 store, in parallel worker threads.
 *
 * Resumable: the fingerprint and plans of an earlier run are reused; a case whose group folder exists is
 * complete (folders are renamed into place only when fully written and fsynced) and is skipped; whatever a
 * killed run left half-written is removed and redone. A case that fails (unreadable file, NaN voxels,
 * mismatched mask, empty image) is reported through `onProgress` and in the summary and manifest, and the
 * run goes on.
 *
 * @throws OpenMindError for an unusable input, an unknown configuration, or an output folder written with
 *   different storage settings.
 */
export async function preprocessDataset(options: PreprocessDatasetOptions): Promise<PreprocessSummary> {
  const started = Date.now();
  // Checked first, so a wrong --out is reported before minutes of indexing.
  if (existsSync(options.out) && !statSync(options.out).isDirectory()) {
    throw new OpenMindError(`preprocess: the output folder "${options.out}" must be a directory, but it is a file.`);
  }
  const { cases, datasetName, collection, problems } = await resolvePreprocessInput(options.input, options.fourD);
  const out = options.out;
  await mkdir(out, { recursive: true });
  const storage: CaseStorageOptions = { ...DEFAULT_CASE_STORAGE, ...options.storage };

  const failed = new Map<string, string>();
  const plans = await planOrReuse(out, cases, datasetName, failed);
  const config = configurationOf(plans, options.config ?? DEFAULT_CONFIGURATION);
  const dataDir = join(out, config.dataIdentifier);
  await mkdir(dataDir, { recursive: true });
  await checkStorage(dataDir, config.spacingStyle, storage);

  const settings: CaseSettings = {
    transposeForward: plans.transposeForward,
    targetSpacing: config.spacing,
    dataResampling: config.dataResampling,
    maskResampling: config.maskResampling,
  };
  const todo: number[] = [];
  let skipped = 0;
  const part = options.part ?? { index: 0, count: 1 };
  const [first, end] = options.merge ? [0, 0] : partRange(cases.length, part);
  cases.forEach((c, i) => {
    if (i < first || i >= end || failed.has(c.id)) return;
    if (existsSync(caseTarget(dataDir, c))) skipped++;
    else todo.push(i);
  });
  let done = skipped + failed.size;
  let processed = 0;
  const report = (id?: string, error?: string) =>
    options.onProgress?.({ done, total: cases.length, skipped, failed: failed.size, elapsedMs: Date.now() - started, ...(id ? { id } : {}), ...(error ? { error } : {}) });
  report();
  for (const [id, error] of failed) report(id, error);

  const onResult = (r: PreprocessTaskResult) => {
    const c = cases[r.index]!;
    done++;
    if (r.ok) processed++;
    else failed.set(c.id, r.error);
    report(c.id, r.ok ? undefined : r.error);
  };
  const workers = options.workers ?? Math.max(1, availableParallelism() - 1);
  if (workers === 0) {
    for (const i of todo) {
      if (options.signal?.aborted) break;
      try {
        onResult({ index: i, ok: true, shape: await processOneCase(cases[i]!, settings, storage, dataDir) });
      } catch (err) {
        onResult({ index: i, ok: false, error: err instanceof Error ? err.message : String(err) });
      }
    }
  } else {
    await runInWorkers(todo, cases, Math.min(workers, Math.max(1, todo.length)), { settings, storage, dataDir }, onResult, options.signal);
  }

  const summaryOf = (merged: boolean, failures: { id: string; error: string }[]) => ({ plans, dataDir, total: cases.length, processed, skipped, failed: failures, indexProblems: problems, merged });
  // An aborted run leaves no manifest, so nothing mistakes a partial store for a finished one.
  if (options.signal?.aborted) return summaryOf(false, cases.filter((c) => failed.has(c.id)).map((c) => ({ id: c.id, error: failed.get(c.id)! })));
  if (part.count > 1) {
    const mine = cases.slice(first, end).filter((c) => failed.has(c.id)).map((c) => ({ id: c.id, error: failed.get(c.id)! }));
    if (!options.merge) await writePartRecord(out, part, config.spacingStyle, mine);
    const all = allPartsFailed(out, part.count, config.spacingStyle);
    if (!all) {
      if (options.merge) throw new OpenMindError(`preprocess --merge: not all ${part.count} parts of ${out} are finished (part__<k>_of_${part.count}.json missing); run the missing --part first.`);
      return summaryOf(false, mine);
    }
    for (const f of all) failed.set(f.id, f.error);
  }
  const okCases = cases.filter((c) => !failed.has(c.id) && existsSync(caseTarget(dataDir, c)));
  const manifest: StoreManifest = {
    formatVersion: 1,
    datasetName,
    configuration: config.spacingStyle,
    plansName: plans.plansName,
    storage,
    cases: okCases.map((c) => ({ id: c.id, subjectId: c.subjectId, path: relative(dataDir, caseTarget(dataDir, c)) })),
    failed: cases.filter((c) => failed.has(c.id)).map((c) => ({ id: c.id, error: failed.get(c.id)! })),
  };
  await writeFileAtomic(join(dataDir, STORE_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFileAtomic(join(out, 'valid_imgs.json'), `${JSON.stringify(okCases.map((c) => c.id), null, 2)}\n`);
  if (collection) await writePretrainDataForStore(join(out, `pretrain_data__${config.spacingStyle}.json`), collection, okCases, dataDir);
  return summaryOf(true, manifest.failed);
}

/**
 * Reuses `nnsslPlans.json` from an earlier run (and the images its fingerprint could not read), or extracts
 * the fingerprint and plans anew.
 */
async function planOrReuse(out: string, cases: PreprocessInputCase[], datasetName: string, failed: Map<string, string>): Promise<Plans> {
  const existing = readPlans(out);
  const fingerprintFile = join(out, 'dataset_fingerprint.json');
  if (existing) {
    if (existsSync(fingerprintFile)) {
      const fp = JSON.parse(readFileSync(fingerprintFile, 'utf8')) as { failed?: { id: string; error: string }[] };
      const ids = new Set(cases.map((c) => c.id));
      for (const f of fp.failed ?? []) if (ids.has(f.id)) failed.set(f.id, f.error);
    }
    return existing;
  }
  const { fingerprint, failed: unreadable } = await extractFingerprint(cases);
  for (const f of unreadable) failed.set(f.id, f.error);
  if (fingerprint.spacings.length === 0) {
    throw new OpenMindError(`preprocess: at least one image must be readable, but all ${cases.length} failed${unreadable[0] ? ` (first: ${unreadable[0].error})` : ''}.`);
  }
  const plans = planExperiment(fingerprint.spacings, datasetName);
  await writeFileAtomic(fingerprintFile, `${JSON.stringify({ ...(fingerprint satisfies Fingerprint), failed: unreadable })}\n`);
  await writeFileAtomic(join(out, 'nnsslPlans.json'), `${JSON.stringify(plansToNnssl(plans), null, 4)}\n`);
  return plans;
}

/** Records the storage settings of a configuration folder, refusing to mix settings in one store. */
async function checkStorage(dataDir: string, configuration: string, storage: CaseStorageOptions): Promise<void> {
  const file = join(dataDir, 'store.json');
  const wanted = { formatVersion: 1, configuration, storage };
  if (existsSync(file)) {
    const had = JSON.parse(readFileSync(file, 'utf8')) as typeof wanted;
    if (JSON.stringify(had.storage) !== JSON.stringify(storage)) {
      throw new OpenMindError(
        `preprocess: storage settings must match the existing store "${dataDir}" (${JSON.stringify(had.storage)}), but got ${JSON.stringify(storage)}.\nHint: use another --out folder, or delete this one to start over.`,
      );
    }
    return;
  }
  await writeFileAtomic(file, `${JSON.stringify(wanted, null, 2)}\n`);
}

/** Hands cases to `n` workers, one at a time each, until all are done or `signal` aborts. */
async function runInWorkers(
  todo: number[],
  cases: PreprocessInputCase[],
  n: number,
  data: PreprocessWorkerData,
  onResult: (r: PreprocessTaskResult) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (todo.length === 0) return;
  let next = 0;
  await new Promise<void>((resolve, reject) => {
    let running = 0;
    const workers = Array.from({ length: n }, () => spawnSiblingWorker(import.meta.url, 'preprocess-worker', data));
    const finish = (err?: unknown) => {
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve();
    };
    const feed = (w: (typeof workers)[number]) => {
      if (signal?.aborted || next >= todo.length) {
        if (running === 0) finish();
        return;
      }
      const index = todo[next++]!;
      running++;
      w.postMessage({ index, case: cases[index]! } satisfies PreprocessTask);
    };
    for (const w of workers) {
      w.on('message', (r: PreprocessTaskResult) => {
        running--;
        onResult(r);
        feed(w);
      });
      w.on('error', (err) => finish(new OpenMindError(`preprocess: a worker thread failed: ${err.message}`, { cause: err })));
      feed(w);
    }
  });
}
