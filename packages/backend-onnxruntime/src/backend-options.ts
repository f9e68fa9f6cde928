import { OpenMindError } from '@openmind/core';

/** Options of {@link OnnxRuntimeBackend}. */
export interface OnnxRuntimeBackendOptions {
  /** Threads ONNX Runtime uses inside one operator (default: ORT's choice, the physical cores). */
  readonly intraOpThreads?: number;
  /** Execution providers in order of preference, e.g. ['cuda', 'cpu'] (default ['cpu']). */
  readonly executionProviders?: readonly ('cpu' | 'cuda')[];
  /** Pending nodes after which an evaluation is started without waiting for a read (default 4096). */
  readonly maxPendingNodes?: number;
  /** Compiled sessions kept; the least recently used beyond this are released (default 32). */
  readonly sessionCacheSize?: number;
  /** Whether idle ORT worker threads spin (ORT's default, true); false frees the cores on shared machines. */
  readonly spinning?: boolean;
  /** ORT's memory pattern optimization (default false: it over-reserves for tiled kernels). */
  readonly memoryPattern?: boolean;
  /** ORT graph optimization level (default 'all'). */
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

export type ResolvedOptions = Required<Omit<OnnxRuntimeBackendOptions, 'intraOpThreads'>> & { intraOpThreads: number | undefined };

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
  return {
    intraOpThreads: options.intraOpThreads === undefined ? undefined : positiveInt(options.intraOpThreads, 'intraOpThreads', 1),
    executionProviders: providers,
    maxPendingNodes: positiveInt(options.maxPendingNodes, 'maxPendingNodes', 4096),
    sessionCacheSize: positiveInt(options.sessionCacheSize, 'sessionCacheSize', 32),
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    spinning: options.spinning ?? true,
    memoryPattern: options.memoryPattern ?? false,
  };
}
