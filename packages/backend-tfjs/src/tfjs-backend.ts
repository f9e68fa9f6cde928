import type {
  Backend, BackendCapabilities, BackendMemory, BinaryOp, Conv3DAttrs, DType, HostArray, KernelHandle,
  Pool3DAttrs, ReduceOp, Shape, UnaryOp,
} from '@openmind-ssl/core';
import { OpenMindError, sizeOf } from '@openmind-ssl/core';
import * as tf from '@tensorflow/tfjs-core';
import { conv3dBackpropFilterKernel } from './kernels/conv3d-backprop-filter.js';
import { conv3dBackpropInputKernel } from './kernels/conv3d-backprop-input.js';
import { conv3dKernel } from './kernels/conv3d.js';
import {
  binaryKernel, binaryResultDType, castKernel, unaryKernel, whereKernel,
} from './kernels/elementwise.js';
import type { KernelEnv } from './kernels/kernel-env.js';
import { NATIVE_ENV, PURE_JS_ENV } from './kernels/kernel-env.js';
import { pool3dBackpropKernel } from './kernels/pool3d-backprop.js';
import { pool3dKernel } from './kernels/pool3d.js';
import { argMaxKernel, reduceKernel } from './kernels/reduce.js';
import { scatterAddKernel } from './kernels/scatter-add.js';
import { TfjsHandle, storageDType } from './tfjs-handle.js';
import type { TfjsVariant, VariantFailure } from './tfjs-variant.js';
import { selectTfjsVariant } from './tfjs-variant.js';

/** Options of `createTfjsBackend`. */
export interface TfjsBackendOptions {
  /** Which tfjs backend to use; 'auto' (default) takes tfjs-node-gpu, else tfjs-node, else cpu. */
  readonly variant?: TfjsVariant | 'auto';
  /**
   * Use only what every tfjs backend offers (explicit pad/crop, zero-spread dilation) even on the CPU
   * backend, which could take shortcuts. Slower; lets the native code paths be tested without a native
   * install. Default false.
   */
  readonly portableKernels?: boolean;
}

/**
 * The OpenMind compute backend on TensorFlow.js. Each kernel runs at once inside its own `tf.tidy`, so
 * temporaries (layout transposes, padding) are freed when it returns; the result tensor lives until core
 * calls `dispose` on its handle.
 */
export class TfjsBackend implements Backend {
  readonly name = 'tfjs';
  private readonly requested: TfjsVariant | 'auto';
  private readonly portable: boolean;
  private active: TfjsVariant | undefined;
  private passedOver: VariantFailure[] = [];
  private readonly live = new Set<TfjsHandle>();
  private env: KernelEnv = NATIVE_ENV;

  constructor(options: TfjsBackendOptions = {}) {
    this.requested = options.variant ?? 'auto';
    this.portable = options.portableKernels ?? false;
  }

  /** The tfjs backend chosen by `init()`. */
  get capabilities(): BackendCapabilities {
    return { floatPrecision: 1e-4, syncRead: true, device: this.active === 'tfjs-node-gpu' ? 'gpu' : 'cpu' };
  }

  get variant(): TfjsVariant {
    if (this.active === undefined) throw new OpenMindError('backend-tfjs: variant is known only after init().');
    return this.active;
  }

  /** The variants `init()` tried before the one it chose, each with why it did not start. */
  get skippedVariants(): readonly VariantFailure[] {
    return this.passedOver;
  }

  async init(): Promise<void> {
    const { variant, skipped } = await selectTfjsVariant(this.requested);
    this.active = variant;
    this.passedOver = skipped;
    this.env = variant === 'cpu' && !this.portable ? PURE_JS_ENV : NATIVE_ENV;
  }

  async close(): Promise<void> {
    for (const h of this.live) h.tensor.dispose();
    this.live.clear();
  }

  upload(data: HostArray, shape: Shape, dtype: DType): KernelHandle {
    if (data.length !== sizeOf(shape)) {
      throw new OpenMindError(
        `backend-tfjs.upload: data must have ${sizeOf(shape)} elements for shape [${shape.join(', ')}], but got ${data.length}.`,
      );
    }
    // tfjs keeps the array it is given, so this always copies (the caller may reuse its buffer). The
    // typed-array conversions truncate and wrap exactly as a cast to `dtype` does.
    let values: Float32Array | Int32Array;
    if (dtype === 'float32') values = Float32Array.from(data);
    else if (dtype === 'int32') values = Int32Array.from(data);
    else values = Int32Array.from(data instanceof Uint8Array ? data : Uint8Array.from(data));
    return this.adopt(tf.tensor(values, [...shape], storageDType(dtype)), dtype);
  }

  fill(shape: Shape, dtype: DType, value: number): KernelHandle {
    return this.adopt(tf.tidy(() => castKernel(tf.fill([...shape], value, 'float32'), dtype)), dtype);
  }

  async read(x: KernelHandle): Promise<HostArray> {
    const h = this.handle(x);
    return this.toHost(await h.tensor.data(), h.dtype);
  }

  readSync(x: KernelHandle): HostArray {
    const h = this.handle(x);
    return this.toHost(h.tensor.dataSync(), h.dtype);
  }

  dispose(x: KernelHandle): void {
    const h = this.handle(x);
    if (this.live.delete(h)) h.tensor.dispose();
  }

  /** handles: live handles of this backend; bytes: what tfjs holds now (so a leaked temporary shows). */
  memory(): BackendMemory {
    return { handles: this.live.size, bytes: tf.memory().numBytes };
  }

  unary(op: UnaryOp, x: KernelHandle): KernelHandle {
    const h = this.handle(x);
    return this.run(h.dtype, [h], () => unaryKernel(op, h.tensor, h.dtype));
  }

  binary(op: BinaryOp, a: KernelHandle, b: KernelHandle): KernelHandle {
    const [ha, hb] = [this.handle(a), this.handle(b)];
    return this.run(binaryResultDType(op, ha.dtype), [ha, hb], () => binaryKernel(op, ha.tensor, hb.tensor, ha.dtype));
  }

  where(cond: KernelHandle, a: KernelHandle, b: KernelHandle): KernelHandle {
    const [hc, ha, hb] = [this.handle(cond), this.handle(a), this.handle(b)];
    return this.run(ha.dtype, [hc, ha, hb], () => whereKernel(hc.tensor, ha.tensor, hb.tensor));
  }

  cast(x: KernelHandle, dtype: DType): KernelHandle {
    const h = this.handle(x);
    return this.run(dtype, [h], () => castKernel(h.tensor, dtype));
  }

  reduce(op: ReduceOp, x: KernelHandle, axes: readonly number[]): KernelHandle {
    const h = this.handle(x);
    return this.run(h.dtype, [h], () => reduceKernel(op, h.tensor, axes, h.dtype));
  }

  argMax(x: KernelHandle, axis: number): KernelHandle {
    const h = this.handle(x);
    return this.run('int32', [h], () => argMaxKernel(h.tensor, axis));
  }

  matmul(a: KernelHandle, b: KernelHandle, transposeA: boolean, transposeB: boolean): KernelHandle {
    const [ha, hb] = [this.handle(a), this.handle(b)];
    return this.run('float32', [ha, hb], () => tf.matMul(ha.tensor, hb.tensor, transposeA, transposeB));
  }

  conv3d(x: KernelHandle, w: KernelHandle, attrs: Conv3DAttrs): KernelHandle {
    const [hx, hw] = [this.handle(x), this.handle(w)];
    return this.run('float32', [hx, hw], () => conv3dKernel(hx.tensor, hw.tensor, attrs, this.env));
  }

  conv3dBackpropInput(dy: KernelHandle, w: KernelHandle, xShape: Shape, attrs: Conv3DAttrs): KernelHandle {
    const [hd, hw] = [this.handle(dy), this.handle(w)];
    return this.run('float32', [hd, hw], () => conv3dBackpropInputKernel(hd.tensor, hw.tensor, xShape, attrs, this.env));
  }

  conv3dBackpropFilter(x: KernelHandle, dy: KernelHandle, wShape: Shape, attrs: Conv3DAttrs): KernelHandle {
    const [hx, hd] = [this.handle(x), this.handle(dy)];
    return this.run('float32', [hx, hd], () => conv3dBackpropFilterKernel(hx.tensor, hd.tensor, wShape, attrs, this.env));
  }

  pool3d(x: KernelHandle, attrs: Pool3DAttrs): KernelHandle {
    const h = this.handle(x);
    return this.run('float32', [h], () => pool3dKernel(h.tensor, attrs, this.env));
  }

  pool3dBackprop(dy: KernelHandle, x: KernelHandle, attrs: Pool3DAttrs): KernelHandle {
    const [hd, hx] = [this.handle(dy), this.handle(x)];
    return this.run('float32', [hd, hx], () => pool3dBackpropKernel(hd.tensor, hx.tensor, attrs, this.env));
  }

  reshape(x: KernelHandle, shape: Shape): KernelHandle {
    const h = this.handle(x);
    return this.run(h.dtype, [h], () => tf.reshape(h.tensor, [...shape]));
  }

  transpose(x: KernelHandle, perm: readonly number[]): KernelHandle {
    const h = this.handle(x);
    return this.run(h.dtype, [h], () => tf.transpose(h.tensor, [...perm]));
  }

  expand(x: KernelHandle, shape: Shape): KernelHandle {
    const h = this.handle(x);
    return this.run(h.dtype, [h], () => tf.broadcastTo(h.tensor, [...shape]));
  }

  slice(x: KernelHandle, begin: readonly number[], size: readonly number[]): KernelHandle {
    const h = this.handle(x);
    return this.run(h.dtype, [h], () => tf.slice(h.tensor, [...begin], [...size]));
  }

  pad(x: KernelHandle, pads: readonly (readonly [number, number])[], value: number): KernelHandle {
    const h = this.handle(x);
    return this.run(h.dtype, [h], () => tf.pad(h.tensor, pads.map(([a, b]) => [a, b] as [number, number]), value));
  }

  concat(xs: readonly KernelHandle[], axis: number): KernelHandle {
    const hs = xs.map((x) => this.handle(x));
    return this.run(hs[0]!.dtype, hs, () => tf.concat(hs.map((h) => h.tensor), axis));
  }

  gather(x: KernelHandle, indices: KernelHandle, axis: number): KernelHandle {
    const [hx, hi] = [this.handle(x), this.handle(indices)];
    return this.run(hx.dtype, [hx, hi], () => tf.gather(hx.tensor, hi.tensor, axis));
  }

  scatterAdd(updates: KernelHandle, indices: KernelHandle, axis: number, shape: Shape): KernelHandle {
    const [hu, hi] = [this.handle(updates), this.handle(indices)];
    return this.run(hu.dtype, [hu, hi], () => scatterAddKernel(hu.tensor, hi.tensor, axis, shape, hu.dtype));
  }

  /** Runs a kernel body in a tidy scope and wraps its result as a new handle. */
  private run(dtype: DType, inputs: readonly TfjsHandle[], body: () => tf.Tensor): TfjsHandle {
    return this.adoptFresh(tf.tidy(body), dtype, inputs);
  }

  /**
   * Wraps a kernel result. A body may hand back one of its inputs unchanged (a no-op cast); each handle
   * must own its tensor, so that case gets a clone (which shares the data, not a copy).
   */
  private adoptFresh(t: tf.Tensor, dtype: DType, inputs: readonly TfjsHandle[]): TfjsHandle {
    const own = inputs.some((h) => h.tensor === t) ? tf.clone(t) : t;
    return this.adopt(own, dtype);
  }

  private adopt(t: tf.Tensor, dtype: DType): TfjsHandle {
    // Core owns the lifetime: keep the result out of any tf.tidy a caller may have opened around us.
    const h = new TfjsHandle(tf.keep(t), dtype);
    this.live.add(h);
    return h;
  }

  private handle(x: KernelHandle): TfjsHandle {
    if (!(x instanceof TfjsHandle)) {
      throw new OpenMindError('backend-tfjs: got a handle made by another backend; pass only handles this backend returned.');
    }
    if (x.tensor.isDisposed) {
      throw new OpenMindError(`backend-tfjs: a ${x.dtype} handle of shape [${x.shape.join(', ')}] was used after dispose.`);
    }
    return x;
  }

  // tfjs may return its own storage; copy so that callers can keep and mutate what they read.
  private toHost(values: tf.TypedArray | string[] | Uint8Array[], dtype: DType): HostArray {
    if (dtype === 'uint8') return Uint8Array.from(values as Int32Array);
    if (dtype === 'int32') return Int32Array.from(values as Int32Array);
    return Float32Array.from(values as Float32Array);
  }
}

/** Creates the tfjs backend (call `init()` before use). */
export function createTfjsBackend(options?: TfjsBackendOptions): TfjsBackend {
  return new TfjsBackend(options);
}
