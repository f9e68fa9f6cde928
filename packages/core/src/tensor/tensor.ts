import type { KernelHandle } from '../backend/backend.js';
import { OpenMindError } from '../errors/openmind-error.js';
import type { GradNode } from '../autograd/grad-node.js';
import * as ops from '../ops/index.js';
import type { DType, HostArray } from './dtype.js';
import type { Engine } from './engine.js';
import { sizeOf, type Shape } from './shape.js';

export type TensorLike = Tensor | number;

/**
 * An n-dimensional array on a backend. Ops return new tensors at once; values are observed only through
 * the asynchronous `data()`/`item()`. Layout is row-major; volumes are NCDHW.
 *
 * A tensor records how it was made (its `node`) when gradients are enabled and one of its inputs needs a
 * gradient, so `backward()` can run reverse-mode differentiation. Call `dispose()` or use scopes (`tidy`)
 * to free backend memory.
 */
export class Tensor {
  readonly id: number;
  readonly shape: Shape;
  readonly dtype: DType;
  /** True for leaves whose gradient `backward()` should accumulate into `grad`. */
  requiresGrad = false;
  /** Accumulated gradient of a leaf (same shape), kept outside every scope. */
  grad: Tensor | undefined;
  /** How this tensor was computed, when gradients were recorded. */
  node: GradNode | undefined;
  private _handle: KernelHandle | undefined;

  constructor(
    readonly engine: Engine,
    handle: KernelHandle,
  ) {
    this._handle = handle;
    this.shape = handle.shape;
    this.dtype = handle.dtype;
    this.id = engine.register(this);
  }

  /** The backend handle; throws once the tensor was disposed. */
  get handle(): KernelHandle {
    if (!this._handle) throw new OpenMindError(`tensor #${this.id} [${this.shape}] was used after dispose()`);
    return this._handle;
  }

  get isDisposed(): boolean {
    return this._handle === undefined;
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  /** Whether gradients flow into this tensor (a marked leaf, or computed from one). */
  get needsGrad(): boolean {
    return this.requiresGrad || this.node !== undefined;
  }

  /** Reads the values (row-major). */
  data(): Promise<HostArray> {
    return this.engine.backend.read(this.handle);
  }

  /** Reads the values of a float32 tensor. */
  async floats(): Promise<Float32Array> {
    const d = await this.data();
    return d instanceof Float32Array ? d : Float32Array.from(d);
  }

  /** Reads the single value of a one-element tensor. */
  async item(): Promise<number> {
    if (this.size !== 1) throw new OpenMindError(`item(): tensor has ${this.size} elements, expected 1`);
    return (await this.data())[0]!;
  }

  /** Blocking read, where the backend supports it (reference and CPU backends). */
  dataSync(): HostArray {
    const b = this.engine.backend;
    if (!b.readSync) throw new OpenMindError(`backend '${b.name}' has no synchronous read; use await tensor.data()`);
    return b.readSync(this.handle);
  }

  /** Frees the backend memory. Idempotent. */
  dispose(): void {
    if (!this._handle) return;
    const h = this._handle;
    this._handle = undefined;
    this.node = undefined;
    this.engine.unregister(this, h);
  }

  /** Replaces the stored value by `value`'s (same shape and dtype) and disposes the old one; used by optimizers. */
  assign(value: Tensor): void {
    if (value.engine !== this.engine) throw new OpenMindError('assign: tensors live on different backends');
    if (value.dtype !== this.dtype || value.shape.join() !== this.shape.join()) {
      throw new OpenMindError(`assign: expected ${this.dtype}[${this.shape}], got ${value.dtype}[${value.shape}]`);
    }
    const old = this.handle;
    this._handle = value.handle;
    value._handle = undefined;
    this.engine.unregister(value, old);
  }

  /** Marks this leaf as needing a gradient. */
  requireGrad(on = true): this {
    this.requiresGrad = on;
    return this;
  }

  /** A tensor with the same values that records no history. */
  detach(): Tensor {
    return ops.detach(this);
  }

  /** Moves this tensor out of every open scope so `tidy` does not dispose it. */
  keep(): this {
    return this.engine.keep(this);
  }

  /** Accumulates d(this)/d(leaf) into `grad` of every leaf with `requiresGrad` (this must be a scalar unless `seed` is given). */
  backward(seed?: Tensor): void {
    ops.backward(this, seed);
  }

  toString(): string {
    return `Tensor(${this.dtype}[${this.shape.join(', ')}])`;
  }

  add(b: TensorLike): Tensor { return ops.add(this, b); }
  sub(b: TensorLike): Tensor { return ops.sub(this, b); }
  mul(b: TensorLike): Tensor { return ops.mul(this, b); }
  div(b: TensorLike): Tensor { return ops.div(this, b); }
  pow(b: TensorLike): Tensor { return ops.pow(this, b); }
  maximum(b: TensorLike): Tensor { return ops.maximum(this, b); }
  minimum(b: TensorLike): Tensor { return ops.minimum(this, b); }
  neg(): Tensor { return ops.neg(this); }
  abs(): Tensor { return ops.abs(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  rsqrt(): Tensor { return ops.rsqrt(this); }
  square(): Tensor { return ops.square(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  tanh(): Tensor { return ops.tanh(this); }
  relu(): Tensor { return ops.relu(this); }
  equal(b: TensorLike): Tensor { return ops.equal(this, b); }
  greater(b: TensorLike): Tensor { return ops.greater(this, b); }
  less(b: TensorLike): Tensor { return ops.less(this, b); }
  greaterEqual(b: TensorLike): Tensor { return ops.greaterEqual(this, b); }
  lessEqual(b: TensorLike): Tensor { return ops.lessEqual(this, b); }
  cast(dtype: DType): Tensor { return ops.cast(this, dtype); }
  sum(axes?: number | readonly number[], keepDims = false): Tensor { return ops.sum(this, axes, keepDims); }
  mean(axes?: number | readonly number[], keepDims = false): Tensor { return ops.mean(this, axes, keepDims); }
  max(axes?: number | readonly number[], keepDims = false): Tensor { return ops.max(this, axes, keepDims); }
  min(axes?: number | readonly number[], keepDims = false): Tensor { return ops.min(this, axes, keepDims); }
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  flatten(startAxis = 0): Tensor { return ops.flatten(this, startAxis); }
  transpose(perm?: readonly number[]): Tensor { return ops.transpose(this, perm); }
  expand(shape: readonly number[]): Tensor { return ops.expand(this, shape); }
  slice(begin: readonly number[], size?: readonly number[]): Tensor { return ops.slice(this, begin, size); }
  matmul(b: Tensor, transposeA = false, transposeB = false): Tensor { return ops.matmul(this, b, transposeA, transposeB); }
}
