import { OpenMindError } from '@openmind-ssl/core';
import { cpuPerCore, defaultThreadCount, workerAffinities } from './threads/cpu-cores.js';

/** Options of {@link OnnxRuntimeBackend}. */
export interface OnnxRuntimeBackendOptions {
  /**
   * Threads ONNX Runtime uses inside one operator (default: `OMP_NUM_THREADS` if set, else one per
   * physical core as Linux reports it, see `cpuPerCore`; ORT's own count can be lower in a VM).
   */
  readonly intraOpThreads?: number;
  /**
   * Pin each ORT worker thread to its own core (default true; ORT pins only when it picks the count
   * itself). The calling thread, which ORT never pins, keeps the first core.
   */
  readonly pinThreads?: boolean;
  /** Execution providers in order of preference, e.g. ['cuda', 'cpu'] (default ['cpu']). */
  readonly executionProviders?: readonly ('cpu' | 'cuda')[];
  /**
   * Recorded compute nodes after which an evaluation starts without waiting for a read (default 100000).
   * A forced evaluation cuts a training step in two, and everything still alive at the cut (the
   * activations kept for the backward pass) then crosses into JS memory, so the default is far above a
   * whole step (an MAE step of resenc-small at 64³ records about 5 200 such nodes; ResEnc-L about 10 900).
   */
  readonly maxPendingNodes?: number;
  /** Compiled sessions kept; the least recently used beyond this are released (default 32). */
  readonly sessionCacheSize?: number;
  /** Whether idle ORT worker threads spin (ORT's default, true); false frees the cores on shared machines. */
  readonly spinning?: boolean;
  /** ORT's memory pattern optimization (default false: it over-reserves for tiled kernels). */
  readonly memoryPattern?: boolean;
  /** ORT graph optimization level (default 'all'). */
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /**
   * ORT's CPU memory arena (default true). With it, a session keeps the peak of its runs allocated and
   * reuses it (no page faults on the next step); without it every intermediate is a fresh allocation,
   * which cost 8–25% more CPU time per training step here, and returns memory between runs. Graphs
   * without products or convolutions, and graphs with 512 MB of outputs or more (a large model's
   * gradients), run without it even when true (see runsWithoutArena).
   */
  readonly memoryArena?: boolean;
  /**
   * Writes ORT's per-node profile (Chrome trace JSON) to files starting with this path; call
   * `backend.endProfiling()` to finish them and `summarizeProfile` to group the time by kernel.
   */
  readonly profileFilePrefix?: string;
}

export type ResolvedOptions = Required<Omit<OnnxRuntimeBackendOptions, 'profileFilePrefix'>> & {
  profileFilePrefix: string | undefined;
  /** ORT's `session.intra_op_thread_affinities`, when the workers are pinned. */
  threadAffinities: string | undefined;
};

function positiveInt(value: number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new OpenMindError(`backend-onnxruntime: options.${field} must be a positive integer, but got ${value}.`);
  }
  return value;
}

/** Validates options and fills in defaults. */
export function resolveOptions(options: OnnxRuntimeBackendOptions): ResolvedOptions {
  const providers = options.executionProviders ?? ['cpu'];
  if (providers.length === 0 || providers.some((p) => p !== 'cpu' && p !== 'cuda')) {
    throw new OpenMindError(
      `backend-onnxruntime: options.executionProviders must list "cpu" and/or "cuda", but got [${providers.map((p) => `"${p}"`).join(', ')}].`,
    );
  }
  const cores = cpuPerCore();
  const threads = positiveInt(options.intraOpThreads, 'intraOpThreads', defaultThreadCount(process.env, cores));
  const pinThreads = options.pinThreads ?? true;
  return {
    intraOpThreads: threads,
    pinThreads,
    threadAffinities: pinThreads && threads <= cores.length ? workerAffinities(cores.slice(0, threads)) : undefined,
    executionProviders: providers,
    maxPendingNodes: positiveInt(options.maxPendingNodes, 'maxPendingNodes', 100_000),
    sessionCacheSize: positiveInt(options.sessionCacheSize, 'sessionCacheSize', 32),
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    spinning: options.spinning ?? true,
    memoryPattern: options.memoryPattern ?? false,
    memoryArena: options.memoryArena ?? true,
    profileFilePrefix: options.profileFilePrefix,
  };
}
