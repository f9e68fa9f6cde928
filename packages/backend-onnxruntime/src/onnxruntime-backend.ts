import type {
  Backend, BackendCapabilities, BackendMemory, BinaryOp, Conv3DAttrs, DType, HostArray, KernelHandle, Pool3DAttrs,
  ReduceOp, Shape, UnaryOp,
} from '@openmind-ssl/core';
import { OpenMindError, allocate, bytesPerElement, sizeOf, toHostArray } from '@openmind-ssl/core';
import { resolveOptions, type OnnxRuntimeBackendOptions, type ResolvedOptions } from './backend-options.js';
import { GraphBuilder } from './graph/graph-builder.js';
import { GraphExecutor } from './graph/graph-executor.js';
import { LazyTensor } from './graph/lazy-tensor.js';
import { SessionCache } from './graph/session-cache.js';
import { conv3dKernel } from './kernels/conv3d.js';
import { conv3dBackpropFilterKernel } from './kernels/conv3d-backprop-filter.js';
import { conv3dBackpropInputKernel } from './kernels/conv3d-backprop-input.js';
import { binaryKernel, castKernel, unaryKernel, whereKernel } from './kernels/elementwise.js';
import { fillKernel } from './kernels/fill.js';
import { gatherKernel, scatterAddKernel } from './kernels/gather.js';
import { pool3dBackpropKernel, pool3dKernel } from './kernels/pool3d.js';
import { argMaxKernel, matmulKernel, reduceKernel } from './kernels/reduce.js';
import {
  concatKernel, expandKernel, padKernel, reshapeKernel, sliceKernel, transposeKernel,
} from './kernels/shape-ops.js';
import { loadOrt, type OrtModule, type OrtSessionOptions } from './ort/ort-module.js';
import { smokeTest } from './ort/smoke-test.js';

/** What the backend has done so far: evaluations, compiled sessions, size of the last graph. */
export interface OnnxRuntimeStats {
  readonly runs: number;
  readonly sessionsCreated: number;
  readonly sessionsCached: number;
  /** Sessions released: graphs that ran once (see SessionCache) and the least recently used. */
  readonly sessionsReleased: number;
  readonly lastGraphNodes: number;
  readonly lastGraphOutputs: number;
}

/**
 * The OpenMind compute contract on ONNX Runtime (onnxruntime-node). Kernels do not run when called:
 * each one records ONNX nodes and returns a pending handle at once. A read (or `flush`) compiles
 * everything core still holds into one ONNX graph, runs it with one `session.run`, and keeps the
 * results as ORT tensors. Sessions are cached by graph structure, so a training loop compiles its step
 * once and afterwards pays one run per step; intermediates never cross the JS/native boundary.
 */
export class OnnxRuntimeBackend implements Backend {
  readonly name = 'onnxruntime';
  readonly capabilities: BackendCapabilities = { floatPrecision: 1e-4, syncRead: false, device: 'cpu' };
  private readonly options: ResolvedOptions;
  private readonly builder = new GraphBuilder();
  private ortModule: OrtModule | undefined;
  private sessions: SessionCache | undefined;
  private executor: GraphExecutor | undefined;
  private liveHandles = 0;
  private liveBytes = 0;

  /** @throws OpenMindError when an option is out of range. */
  constructor(options: OnnxRuntimeBackendOptions = {}) {
    this.options = resolveOptions(options);
  }

  /** Loads onnxruntime-node and checks that the chosen execution providers can run a graph. */
  async init(): Promise<void> {
    if (this.executor !== undefined) return;
    const ort = await loadOrt();
    const sessionOptions: OrtSessionOptions = {
      executionProviders: [...this.options.executionProviders],
      graphOptimizationLevel: this.options.graphOptimizationLevel,
      executionMode: 'sequential',
      // ORT's memory pattern plans one block for all intermediates from the first run; with tiled
      // kernels it reserved 2–3× the live set here, while the arena alone reuses freed tensors.
      enableMemPattern: this.options.memoryPattern,
      enableCpuMemArena: this.options.memoryArena,
      ...(this.options.profileFilePrefix === undefined ? {} : { enableProfiling: true, profileFilePrefix: this.options.profileFilePrefix }),
      // ORT's warnings are about its own graph rewrites; errors still reach the caller as exceptions.
      logSeverityLevel: 3,
      interOpNumThreads: 1,
      intraOpNumThreads: this.options.intraOpThreads,
      extra: { session: sessionConfig(this.options) },
    };
    await smokeTest(ort, sessionOptions);
    this.ortModule = ort;
    this.sessions = new SessionCache(ort, sessionOptions, this.options.sessionCacheSize);
    this.executor = new GraphExecutor(this.sessions);
  }

  async close(): Promise<void> {
    if (this.executor === undefined) return;
    await this.executor.idle();
    await this.sessions!.clear();
    this.executor = undefined;
  }

  /**
   * Finishes ORT's profile files of every cached session (only with `profileFilePrefix`); their names
   * start with that prefix. Sessions created afterwards profile into new files.
   */
  async endProfiling(): Promise<void> {
    await this.exec().idle();
    await this.sessions!.endProfiling();
  }

  /**
   * Core's hint that the work recorded so far can be evaluated on its own (the end of a backward pass,
   * a chunk of an optimizer update): starts that evaluation in the background, as the node bound does.
   */
  evaluationBoundary(): void {
    if (this.exec().pendingCount > 0) void this.startEvaluation();
  }

  /** Evaluates every pending handle now (reads do this on their own). */
  async flush(): Promise<void> {
    await this.startEvaluation();
  }

  /** Snapshots every live pending handle into the next evaluation; the node budget starts over. */
  private startEvaluation(): Promise<void> {
    this.builder.recorded = 0;
    return this.exec().flush();
  }

  get stats(): OnnxRuntimeStats {
    const e = this.exec();
    return {
      runs: e.stats.runs,
      lastGraphNodes: e.stats.lastGraphNodes,
      lastGraphOutputs: e.stats.lastGraphOutputs,
      sessionsCreated: this.sessions!.created,
      sessionsCached: this.sessions!.size,
      sessionsReleased: this.sessions!.released,
    };
  }

  private exec(): GraphExecutor {
    if (this.executor === undefined) {
      throw new OpenMindError('backend-onnxruntime: the backend is not initialized. Call `await backend.init()` first.');
    }
    return this.executor;
  }

  private ort(): OrtModule {
    this.exec();
    return this.ortModule!;
  }

  private own(h: KernelHandle, op: string): LazyTensor {
    if (!(h instanceof LazyTensor)) {
      throw new TypeError(`${op}: the handle was not made by the onnxruntime backend.`);
    }
    if (h.disposed) throw new OpenMindError(`${op}: the handle was already disposed.`);
    return h;
  }

  private materialized(data: HostArray, shape: Shape, dtype: DType): LazyTensor {
    const tensor = new (this.ort().Tensor)(dtype, data, shape);
    return this.adopt(new LazyTensor(shape, dtype, dtype, { value: tensor }));
  }

  /** Counts a handle given to core and, if pending, makes it an output of the next evaluation. */
  private adopt(t: LazyTensor): LazyTensor {
    this.liveHandles++;
    this.liveBytes += sizeOf(t.shape) * bytesPerElement(t.dtype);
    if (t.pending) {
      const exec = this.exec();
      exec.track(t);
      if (this.builder.recorded > this.options.maxPendingNodes) {
        // Bound graph size: start evaluating in the background; failures are kept per handle.
        void this.startEvaluation();
      }
    }
    return t;
  }

  /** Runs a kernel recorder and hands its result to core as a fresh handle. */
  private record(op: string, inputs: readonly KernelHandle[], build: (b: GraphBuilder, ins: LazyTensor[]) => LazyTensor): KernelHandle {
    const ins = inputs.map((h) => this.own(h, op));
    this.exec();
    this.builder.kernel = op;
    let out: LazyTensor;
    try {
      out = build(this.builder, ins);
      // Every handle core gets must be its own object (disposal is per handle); kernels return an input
      // unchanged only when they are a no-op, and only then does a copy happen.
      if (ins.includes(out) && sizeOf(out.shape) > 0) out = this.builder.op('Identity', [out], [], { shape: out.shape, type: out.elemType });
    } finally {
      this.builder.kernel = undefined;
    }
    if (sizeOf(out.shape) === 0) return this.materialized(allocate(out.dtype, 0), out.shape, out.dtype);
    return this.adopt(out);
  }

  upload(data: HostArray, shape: Shape, dtype: DType): KernelHandle {
    const copy = allocate(dtype, sizeOf(shape));
    copy.set(toHostArray(data, dtype));
    return this.materialized(copy, shape, dtype);
  }

  fill(shape: Shape, dtype: DType, value: number): KernelHandle {
    return this.record('fill', [], (b) => fillKernel(b, shape, dtype, value));
  }

  async read(x: KernelHandle): Promise<HostArray> {
    const t = this.own(x, 'read');
    if (t.pending && t.failure === undefined) await this.startEvaluation();
    if (t.failure !== undefined) throw t.failure;
    if (t.pending) throw new OpenMindError('read: the handle is still pending after an evaluation (backend-onnxruntime bug).');
    return (t.value!.data as HostArray).slice();
  }

  dispose(x: KernelHandle): void {
    if (!(x instanceof LazyTensor) || x.disposed) return;
    x.disposed = true;
    this.liveHandles--;
    this.liveBytes -= sizeOf(x.shape) * bytesPerElement(x.dtype);
    this.executor?.untrack(x);
  }

  memory(): BackendMemory {
    return { handles: this.liveHandles, bytes: this.liveBytes };
  }

  unary(op: UnaryOp, x: KernelHandle): KernelHandle {
    return this.record(op, [x], (b, [a]) => unaryKernel(b, op, a!));
  }

  binary(op: BinaryOp, a: KernelHandle, c: KernelHandle): KernelHandle {
    return this.record(op, [a, c], (b, [x, y]) => binaryKernel(b, op, x!, y!));
  }

  where(cond: KernelHandle, a: KernelHandle, c: KernelHandle): KernelHandle {
    return this.record('where', [cond, a, c], (b, [m, x, y]) => whereKernel(b, m!, x!, y!));
  }

  cast(x: KernelHandle, dtype: DType): KernelHandle {
    return this.record('cast', [x], (b, [a]) => castKernel(b, a!, dtype));
  }

  reduce(op: ReduceOp, x: KernelHandle, axes: readonly number[]): KernelHandle {
    return this.record(op, [x], (b, [a]) => {
      if (sizeOf(a!.shape) === 0) {
        // Reducing an empty axis: the identity of the reduction (PyTorch gives 0 for sum).
        const shape = a!.shape.map((d, i) => (axes.includes(i) ? 1 : d));
        return fillKernel(b, shape, a!.elemType, op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity);
      }
      return reduceKernel(b, op, a!, axes);
    });
  }

  argMax(x: KernelHandle, axis: number): KernelHandle {
    return this.record('argMax', [x], (b, [a]) => argMaxKernel(b, a!, axis));
  }

  matmul(a: KernelHandle, c: KernelHandle, transposeA: boolean, transposeB: boolean): KernelHandle {
    return this.record('matmul', [a, c], (b, [x, y]) => {
      const inner = transposeA ? x!.shape[1]! : x!.shape[2]!;
      if (inner === 0) {
        const shape = [Math.max(x!.shape[0]!, y!.shape[0]!), transposeA ? x!.shape[2]! : x!.shape[1]!, transposeB ? y!.shape[1]! : y!.shape[2]!];
        return fillKernel(b, shape, 'float32', 0);
      }
      return matmulKernel(b, x!, y!, transposeA, transposeB);
    });
  }

  conv3d(x: KernelHandle, w: KernelHandle, attrs: Conv3DAttrs): KernelHandle {
    return this.record('conv3d', [x, w], (b, [a, k]) => conv3dKernel(b, a!, k!, attrs));
  }

  conv3dBackpropInput(dy: KernelHandle, w: KernelHandle, xShape: Shape, attrs: Conv3DAttrs): KernelHandle {
    return this.record('conv3dBackpropInput', [dy, w], (b, [g, k]) => conv3dBackpropInputKernel(b, g!, k!, xShape, attrs));
  }

  conv3dBackpropFilter(x: KernelHandle, dy: KernelHandle, wShape: Shape, attrs: Conv3DAttrs): KernelHandle {
    return this.record('conv3dBackpropFilter', [x, dy], (b, [a, g]) => conv3dBackpropFilterKernel(b, a!, g!, wShape, attrs));
  }

  pool3d(x: KernelHandle, attrs: Pool3DAttrs): KernelHandle {
    return this.record('pool3d', [x], (b, [a]) => pool3dKernel(b, a!, attrs));
  }

  pool3dBackprop(dy: KernelHandle, x: KernelHandle, attrs: Pool3DAttrs): KernelHandle {
    return this.record('pool3dBackprop', [dy, x], (b, [g, a]) => pool3dBackpropKernel(b, g!, a!, attrs));
  }

  reshape(x: KernelHandle, shape: Shape): KernelHandle {
    return this.record('reshape', [x], (b, [a]) => reshapeKernel(b, a!, shape));
  }

  transpose(x: KernelHandle, perm: readonly number[]): KernelHandle {
    return this.record('transpose', [x], (b, [a]) => transposeKernel(b, a!, perm));
  }

  expand(x: KernelHandle, shape: Shape): KernelHandle {
    return this.record('expand', [x], (b, [a]) => expandKernel(b, a!, shape));
  }

  slice(x: KernelHandle, begin: readonly number[], size: readonly number[]): KernelHandle {
    return this.record('slice', [x], (b, [a]) => sliceKernel(b, a!, begin, size));
  }

  pad(x: KernelHandle, pads: readonly (readonly [number, number])[], value: number): KernelHandle {
    return this.record('pad', [x], (b, [a]) => {
      if (sizeOf(a!.shape) === 0) return fillKernel(b, a!.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]), a!.elemType, value);
      return padKernel(b, a!, pads, value);
    });
  }

  concat(xs: readonly KernelHandle[], axis: number): KernelHandle {
    return this.record('concat', xs, (b, ins) => concatKernel(b, ins, axis));
  }

  gather(x: KernelHandle, indices: KernelHandle, axis: number): KernelHandle {
    return this.record('gather', [x, indices], (b, [a, i]) => gatherKernel(b, a!, i!, axis));
  }

  scatterAdd(updates: KernelHandle, indices: KernelHandle, axis: number, shape: Shape): KernelHandle {
    return this.record('scatterAdd', [updates, indices], (b, [u, i]) =>
      sizeOf(u!.shape) === 0 ? fillKernel(b, shape, u!.elemType, 0) : scatterAddKernel(b, u!, i!, axis, shape));
  }
}

/** ORT session config entries (`session.*`) for the threading options. */
function sessionConfig(options: ResolvedOptions): Record<string, unknown> {
  return {
    ...(options.spinning ? {} : { intra_op: { allow_spinning: '0' } }),
    ...(options.threadAffinities === undefined ? {} : { intra_op_thread_affinities: options.threadAffinities }),
  };
}
