import type { Worker } from 'node:worker_threads';
import { OpenMindError, type Augmentation, type WorkerModuleSpec } from '@openmind-ssl/core';
import type { Shape3 } from '../preprocess/volume.js';
import type { BatchWorkerData, BatchWorkerReply } from './batch-worker.js';
import { buildBatch, type BatchSettings, type BatchTransforms, type PatchBatch, type StoreCase } from './build-batch.js';
import { CaseCache } from './case-cache.js';
import { normalizeCaseTargets, type CaseTargetInput } from './case-targets.js';
import { loadTransforms, normalizeViewPipeline, objectsIn, validateViewPipeline, type LoaderViewPipeline } from './load-transforms.js';
import { openPreprocessedStore } from './open-store.js';
import { spawnSiblingWorker } from './spawn-worker.js';
import { normalizeModuleSpec } from './worker-module.js';

/** Options of {@link PatchLoader.open}. */
export interface PatchLoaderOptions {
  /** Configuration folder of a preprocessed store (with `manifest.json`). */
  store: string;
  /** Restrict to these case ids (e.g. the training split); default all cases of the store. */
  caseIds?: readonly string[];
  /** Samples per batch. Default 2 (nnssl `total_batch_size`). */
  batchSize?: number;
  /** Crop read from the store. Default [160, 160, 160]; use e.g. [64, 64, 64] on CPU. */
  patchSize?: Shape3;
  /** Network patch size when the crop is larger (augmentation crops it down). Default `patchSize`. */
  finalPatchSize?: Shape3;
  /** Fraction of crops centred on anatomy voxels (nnssl `_ANAT` loaders: 1.0; OpenMind paper: 0.33). Default 0. */
  anatomyOversampling?: number;
  /** Seed of the batch stream. Default 0. */
  seed?: number;
  /** Worker threads building batches; 0 builds them on the calling thread when asked. Default 1. */
  workers?: number;
  /** Batches built ahead (the bounded queue). Default max(2, 2·workers). */
  prefetch?: number;
  /** Batches per epoch (nnssl `num_iterations_per_epoch`). Default 250. */
  iterationsPerEpoch?: number;
  /** Stream position to start at, to resume a run exactly where it stopped. Default 0. */
  startIteration?: number;
  /**
   * Per-sample augmentation (single view). With workers, a module spec each worker imports (functions
   * cannot be sent to threads); with `workers: 0`, a module spec or an `Augmentation` object.
   */
  augmentation?: WorkerModuleSpec | Augmentation;
  /**
   * Several named views per sample instead: a view sampler cuts them (and targets) from the loaded crop,
   * each crop is augmented by its view's augmentation; the batch gets `views` and `targets`. Module specs
   * with workers; with `workers: 0` the objects may be given directly. Not together with `augmentation`.
   */
  views?: LoaderViewPipeline;
  /**
   * Per-case targets by case id (e.g. `{ 'ds/sub-01/…': { class: 2 } }`), added to (and overriding) the
   * targets the store's manifest records; every sample carries its case's targets into `batch.targets`.
   */
  caseTargets?: Readonly<Record<string, Readonly<Record<string, CaseTargetInput>>>>;
  /** Cases each worker keeps open. Default 64. */
  openCases?: number;
}

interface Waiter {
  resolve: (b: PatchBatch) => void;
  reject: (e: Error) => void;
}

/**
 * Streams batches of random crops from a preprocessed store, built off the main thread.
 *
 * Semantics follow nnssl's infinite loaders: batch `i` draws its cases uniformly with replacement and its
 * crops at random (or anatomy-centred), and the trainer takes `iterationsPerEpoch` batches per epoch.
 * Batch `i` depends only on (seed, i), never on the worker count or timing, so the stream is reproducible
 * and resumable (`startIteration`). Up to `prefetch` batches are built ahead; a warm queue hands out a
 * batch at once.
 */
export class PatchLoader implements AsyncIterable<PatchBatch> {
  readonly cases: readonly StoreCase[];
  readonly iterationsPerEpoch: number;
  private readonly settings: BatchSettings;
  private readonly prefetch: number;
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly backlog: number[] = [];
  private readonly ready = new Map<number, PatchBatch | Error>();
  private readonly waiting = new Map<number, Waiter>();
  private requested = 0;
  private inFlight = 0;
  private pos: number;
  private failure: Error | null = null;
  private closed = false;
  private readonly local: { cache: CaseCache; transforms: Promise<BatchTransforms> } | null = null;

  private constructor(cases: StoreCase[], options: PatchLoaderOptions) {
    const patchSize = options.patchSize ?? [160, 160, 160];
    const finalPatchSize = options.finalPatchSize ?? patchSize;
    if (finalPatchSize.some((f, i) => f > patchSize[i]!)) {
      throw new RangeError(`PatchLoader: finalPatchSize must not exceed patchSize [${patchSize.join(', ')}], but got [${finalPatchSize.join(', ')}].`);
    }
    const p = options.anatomyOversampling ?? 0;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`PatchLoader: anatomyOversampling must be in [0, 1], but got ${p}.`);
    const batchSize = options.batchSize ?? 2;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`PatchLoader: batchSize must be a positive integer, but got ${batchSize}.`);
    this.cases = cases;
    this.settings = { batchSize, patchSize: [...patchSize], finalPatchSize: [...finalPatchSize], anatomyOversampling: p, seed: options.seed ?? 0 };
    this.iterationsPerEpoch = options.iterationsPerEpoch ?? 250;
    this.pos = options.startIteration ?? 0;
    this.requested = this.pos;
    const workers = options.workers ?? 1;
    this.prefetch = Math.max(1, options.prefetch ?? Math.max(2, 2 * workers));
    const { augmentation, views } = options;
    if (augmentation && views) {
      throw new OpenMindError('PatchLoader: give either augmentation (one view) or views (several views, each with its own augmentation), not both.');
    }
    if (views) validateViewPipeline(views);
    if (workers === 0) {
      const transforms = loadTransforms(augmentation, views);
      transforms.catch(() => undefined); // reported by next()
      this.local = { cache: new CaseCache(options.openCases ?? 64), transforms };
      return;
    }
    const objects = objectsIn(augmentation, views);
    if (objects.length) {
      throw new OpenMindError(`PatchLoader: with ${workers} worker(s) the augmentation and views must be module specs ({ module, exportName, args }), but got the object ${objects[0]}.\nHint: functions cannot be sent to worker threads; export a factory from a module, or use workers: 0.`);
    }
    const data: BatchWorkerData = {
      cases,
      settings: this.settings,
      augmentation: augmentation ? normalizeModuleSpec(augmentation as WorkerModuleSpec) : null,
      views: views ? normalizeViewPipeline(views) : null,
      cacheSize: options.openCases ?? 64,
    };
    for (let i = 0; i < workers; i++) {
      const w = spawnSiblingWorker(import.meta.url, 'batch-worker', data);
      w.on('message', (r: BatchWorkerReply) => this.onReply(w, r));
      w.on('error', (err) => this.fail(new OpenMindError(`PatchLoader: a batch worker failed: ${err.message}`, { cause: err })));
      this.workers.push(w);
      this.idle.push(w);
    }
    this.fill();
  }

  /**
   * Opens the store and starts the workers, which begin filling the queue at once.
   * @throws OpenMindError for a store without manifest, unknown case ids, or an empty selection.
   */
  static async open(options: PatchLoaderOptions): Promise<PatchLoader> {
    const store = openPreprocessedStore(options.store);
    let cases: StoreCase[] = store.cases;
    if (options.caseIds) {
      const byId = new Map(store.cases.map((c) => [c.id, c]));
      const missing = options.caseIds.filter((id) => !byId.has(id));
      if (missing.length) throw new OpenMindError(`PatchLoader: case ids must be in the store "${options.store}", but ${missing.length} are not (first: "${missing[0]}").`);
      cases = options.caseIds.map((id) => byId.get(id)!);
    }
    if (cases.length === 0) throw new OpenMindError(`PatchLoader: the store "${options.store}" must hold at least one case, but the selection is empty.`);
    if (options.caseTargets) cases = withCaseTargets(cases, options.caseTargets, options.store);
    return new PatchLoader(cases, options);
  }

  /** The iteration the next `next()` returns (save it to resume). */
  get position(): number {
    return this.pos;
  }

  /** Batches built and waiting to be taken. */
  get readyCount(): number {
    let n = 0;
    for (const [i, b] of this.ready) if (i >= this.pos && !(b instanceof Error)) n++;
    return n;
  }

  /** The next batch of the stream. */
  next(): Promise<PatchBatch> {
    if (this.closed) return Promise.reject(new OpenMindError('PatchLoader: next() must not be called after close().'));
    const it = this.pos++;
    if (this.local) {
      const local = this.local;
      return local.transforms.then((t) => buildBatch(it, this.cases, this.settings, (d) => local.cache.get(d), t)).then((b) => this.stamp(b));
    }
    if (this.failure) return Promise.reject(this.failure);
    const have = this.ready.get(it);
    if (have !== undefined) {
      this.ready.delete(it);
      this.fill();
      return have instanceof Error ? Promise.reject(have) : Promise.resolve(this.stamp(have));
    }
    this.fill();
    return new Promise<PatchBatch>((resolve, reject) => this.waiting.set(it, { resolve, reject }));
  }

  /** The batches of one epoch: `iterationsPerEpoch` batches from the current position. */
  async *epoch(): AsyncGenerator<PatchBatch> {
    for (let i = 0; i < this.iterationsPerEpoch; i++) yield await this.next();
  }

  /** The endless batch stream. */
  async *[Symbol.asyncIterator](): AsyncGenerator<PatchBatch> {
    for (;;) yield await this.next();
  }

  /** Stops the workers. Batches not yet taken are dropped. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new OpenMindError('PatchLoader: the loader was closed while a batch was awaited.');
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    this.local?.cache.closeAll();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private stamp(b: PatchBatch): PatchBatch {
    b.epoch = Math.floor(b.iteration / this.iterationsPerEpoch);
    b.step = b.iteration % this.iterationsPerEpoch;
    return b;
  }

  /** Requests batches in stream order until `prefetch` are built or being built. */
  private fill(): void {
    if (this.closed || this.failure) return;
    while (this.inFlight + this.backlog.length + this.readyCount < this.prefetch) {
      this.backlog.push(this.requested++);
    }
    while (this.backlog.length && this.idle.length) {
      const w = this.idle.shift()!;
      this.inFlight++;
      w.postMessage({ iteration: this.backlog.shift()! });
    }
  }

  private onReply(w: Worker, r: BatchWorkerReply): void {
    this.inFlight--;
    this.idle.push(w);
    const value = r.ok ? r.batch : new OpenMindError(`PatchLoader: batch ${r.iteration} failed: ${r.error}`);
    const waiter = this.waiting.get(r.iteration);
    if (waiter) {
      this.waiting.delete(r.iteration);
      if (value instanceof Error) waiter.reject(value);
      else waiter.resolve(this.stamp(value));
    } else {
      this.ready.set(r.iteration, value);
    }
    this.fill();
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

/** The cases with `extra` targets added (an extra target replaces the manifest's of the same name). */
function withCaseTargets(cases: StoreCase[], extra: NonNullable<PatchLoaderOptions['caseTargets']>, store: string): StoreCase[] {
  const ids = new Set(cases.map((c) => c.id));
  const unknown = Object.keys(extra).filter((id) => !ids.has(id));
  if (unknown.length) throw new OpenMindError(`PatchLoader: caseTargets must name cases of the selection in "${store}", but ${unknown.length} do not (first: "${unknown[0]}").`);
  return cases.map((c) => {
    const more = extra[c.id];
    return more ? { ...c, targets: { ...c.targets, ...normalizeCaseTargets(`case "${c.id}" in caseTargets`, more) } } : c;
  });
}
