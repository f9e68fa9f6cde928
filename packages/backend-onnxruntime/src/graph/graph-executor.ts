import { encodeModel, type OnnxElemType, type OnnxGraphSpec } from '../onnx/onnx-model.js';
import type { OrtTensor } from '../ort/ort-module.js';
import { compileGraph } from './compile-graph.js';
import type { LazyTensor } from './lazy-tensor.js';
import type { SessionCache } from './session-cache.js';

/** Counters of what evaluations did, for tests, benchmarks and tuning. */
export interface ExecutorStats {
  /** Evaluations run (each is one session.run). */
  runs: number;
  /** Nodes in the last evaluated graph. */
  lastGraphNodes: number;
  /** Outputs of the last evaluated graph (the live handles it materialized). */
  lastGraphOutputs: number;
}

/** Ops whose graphs hold large intermediates that ORT's arena reuses from run to run. */
const ARENA_OPS = new Set(['Conv', 'ConvTranspose', 'MatMul', 'Gemm']);

/**
 * Graphs whose outputs reach this size run without the arena even with products in them. Their
 * outputs (a large model's gradients) are allocated inside the run and copied out to JS, so an arena
 * would keep them, and the activations beside them, a second time: Primus-M's step (655 MB of
 * gradients) peaked at 5.13–5.16 GB with the arena and 4.10–4.26 GB without (CPU time within the noise
 * of a loaded machine). Smaller models
 * (ResEnc-L: 409 MB of gradients) keep the arena, whose reuse is what makes their steps fast.
 */
export const ARENA_OUTPUT_LIMIT_BYTES = 512 * 2 ** 20;

const ELEM_BYTES: Record<OnnxElemType, number> = { float32: 4, uint8: 1, int32: 4, int64: 8, bool: 1 };

/**
 * Whether a graph runs without ORT's CPU arena: graphs without convolutions or products (an
 * optimizer-update chunk), whose arena would only pin the peak of the run (the chunk's new state, already
 * copied out to JS); and graphs with outputs of ARENA_OUTPUT_LIMIT_BYTES or more (see there).
 */
export function runsWithoutArena(spec: OnnxGraphSpec): boolean {
  if (!spec.nodes.some((n) => ARENA_OPS.has(n.opType))) return true;
  let outputBytes = 0;
  for (const v of spec.outputs) {
    outputBytes += v.dims.reduce<number>((n, d) => n * (typeof d === 'number' ? d : 1), ELEM_BYTES[v.dtype]);
  }
  return outputBytes >= ARENA_OUTPUT_LIMIT_BYTES;
}

/**
 * Turns pending tensors into materialized ones. An evaluation takes every live pending handle as a
 * graph output (so intermediates that core already disposed stay inside the graph and never cross
 * into JS), feeds the materialized tensors it depends on, and runs the cached session once.
 *
 * Evaluations are serialized: each snapshot is taken synchronously when `flush` is called, and runs
 * after the previous one finished, so a later graph always finds its inputs materialized.
 */
export class GraphExecutor {
  /** Pending tensors that core still holds: the outputs of the next evaluation. */
  private readonly live = new Set<LazyTensor>();
  private chain: Promise<void> = Promise.resolve();
  readonly stats: ExecutorStats = { runs: 0, lastGraphNodes: 0, lastGraphOutputs: 0 };

  constructor(private readonly sessions: SessionCache) {}

  /** Registers a pending tensor handed to core. */
  track(t: LazyTensor): void {
    this.live.add(t);
  }

  /** Core disposed it: it stops being an output, but stays computable for pending consumers. */
  untrack(t: LazyTensor): void {
    this.live.delete(t);
  }

  get pendingCount(): number {
    return this.live.size;
  }

  /**
   * Evaluates everything pending now. Resolves when done; a handle whose evaluation failed keeps the
   * error in `failure` instead of rejecting the whole flush.
   */
  flush(): Promise<void> {
    const roots = [...this.live].sort((a, b) => a.id - b.id);
    this.live.clear();
    const run = this.chain.then(() => this.evaluate(roots));
    this.chain = run;
    return run;
  }

  /** Waits for evaluations already scheduled, without scheduling a new one. */
  idle(): Promise<void> {
    return this.chain;
  }

  private async evaluate(roots: readonly LazyTensor[]): Promise<void> {
    if (roots.length === 0) return;
    try {
      await this.run(roots);
    } catch {
      // One bad node must not fail unrelated handles: retry each root alone, and record the error
      // only on the roots that really depend on the failing node. Reads of those rethrow it.
      for (const r of roots) {
        try {
          await this.run([r]);
        } catch (e) {
          r.failure = e;
        }
      }
    }
  }

  private async run(roots: readonly LazyTensor[]): Promise<void> {
    const { spec, feeds } = compileGraph(roots);
    const session = await this.sessions.get(encodeModel(spec), runsWithoutArena(spec));
    const inputs: Record<string, OrtTensor> = {};
    spec.inputs.forEach((v, i) => {
      inputs[v.name] = feeds[i]!.value!;
    });
    const outputs = await session.run(inputs);
    this.stats.runs++;
    this.stats.lastGraphNodes = spec.nodes.length;
    this.stats.lastGraphOutputs = roots.length;
    roots.forEach((r, i) => r.materialize(outputs[spec.outputs[i]!.name] as OrtTensor));
  }
}
