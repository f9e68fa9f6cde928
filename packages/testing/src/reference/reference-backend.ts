import type {
  Backend, BackendCapabilities, BackendMemory, BinaryOp, Conv3DAttrs, DType, HostArray, KernelHandle,
  Pool3DAttrs, ReduceOp, Shape, UnaryOp,
} from '@openmind-ssl/core';
import { OpenMindError, allocate, bytesPerElement, sizeOf } from '@openmind-ssl/core';
import { conv3d, conv3dBackpropFilter, conv3dBackpropInput } from './conv3d.js';
import { binary, cast, unary, where } from './elementwise.js';
import { concat, expand, gather, pad, reshape, scatterAdd, slice, transpose } from './layout.js';
import { matmul } from './matmul.js';
import { pool3d, pool3dBackprop } from './pool3d.js';
import { argMax, reduce } from './reduce.js';
import { RefTensor, toDTypeValues } from './ref-tensor.js';

/**
 * The oracle of the conformance suite: every kernel of the `Backend` contract as plain loops over
 * float64 values, written to be obviously right rather than fast. float32 tensors keep float64
 * precision between kernels and are rounded to float32 only when read; `readFloat64` returns the
 * unrounded values (for finite-difference checks). Handles are checked on every use, so a kernel call
 * with a disposed or foreign handle throws instead of reading stale memory.
 */
export class ReferenceBackend implements Backend {
  readonly name = 'reference';
  /** Reads round float64 to float32, so results are exact up to one float32 rounding. */
  readonly capabilities: BackendCapabilities = { floatPrecision: 1e-6, syncRead: true };
  private readonly live = new Set<RefTensor>();

  async init(): Promise<void> {}

  async close(): Promise<void> {
    this.live.clear();
  }

  upload(data: HostArray, shape: Shape, dtype: DType): KernelHandle {
    if (data.length !== sizeOf(shape)) {
      throw new OpenMindError(`reference.upload: data must have ${sizeOf(shape)} elements for shape [${shape.join(', ')}], but got ${data.length}.`);
    }
    return this.track(new RefTensor([...shape], dtype, toDTypeValues(Float64Array.from(data), dtype)));
  }

  fill(shape: Shape, dtype: DType, value: number): KernelHandle {
    // A float32 constant is what a float32 backend would store: the value rounded to float32.
    const v = dtype === 'float32' ? Math.fround(value) : value;
    return this.track(new RefTensor([...shape], dtype, toDTypeValues(new Float64Array(sizeOf(shape)).fill(v), dtype)));
  }

  async read(x: KernelHandle): Promise<HostArray> {
    return this.readSync(x);
  }

  readSync(x: KernelHandle): HostArray {
    const t = this.get(x);
    const out = allocate(t.dtype, t.values.length);
    out.set(t.values);
    return out;
  }

  /** A float32 tensor from float64 values, kept unrounded (finite differences need the full step). */
  uploadFloat64(values: Float64Array, shape: Shape): KernelHandle {
    if (values.length !== sizeOf(shape)) {
      throw new OpenMindError(`reference.uploadFloat64: ${values.length} values for shape [${shape.join(', ')}]`);
    }
    return this.track(new RefTensor([...shape], 'float32', Float64Array.from(values)));
  }

  /** The stored float64 values, before the float32 rounding that `read` applies. */
  readFloat64(x: KernelHandle): Float64Array {
    return Float64Array.from(this.get(x).values);
  }

  dispose(x: KernelHandle): void {
    if (!this.live.delete(this.get(x))) throw new OpenMindError('reference.dispose: handle was already disposed.');
  }

  memory(): BackendMemory {
    let bytes = 0;
    for (const t of this.live) bytes += t.values.length * bytesPerElement(t.dtype);
    return { handles: this.live.size, bytes };
  }

  unary(op: UnaryOp, x: KernelHandle): KernelHandle {
    return this.track(unary(op, this.get(x)));
  }

  binary(op: BinaryOp, a: KernelHandle, b: KernelHandle): KernelHandle {
    return this.track(binary(op, this.get(a), this.get(b)));
  }

  where(cond: KernelHandle, a: KernelHandle, b: KernelHandle): KernelHandle {
    return this.track(where(this.get(cond), this.get(a), this.get(b)));
  }

  cast(x: KernelHandle, dtype: DType): KernelHandle {
    return this.track(cast(this.get(x), dtype));
  }

  reduce(op: ReduceOp, x: KernelHandle, axes: readonly number[]): KernelHandle {
    return this.track(reduce(op, this.get(x), axes));
  }

  argMax(x: KernelHandle, axis: number): KernelHandle {
    return this.track(argMax(this.get(x), axis));
  }

  matmul(a: KernelHandle, b: KernelHandle, transposeA: boolean, transposeB: boolean): KernelHandle {
    return this.track(matmul(this.get(a), this.get(b), transposeA, transposeB));
  }

  conv3d(x: KernelHandle, w: KernelHandle, attrs: Conv3DAttrs): KernelHandle {
    return this.track(conv3d(this.get(x), this.get(w), attrs));
  }

  conv3dBackpropInput(dy: KernelHandle, w: KernelHandle, xShape: Shape, attrs: Conv3DAttrs): KernelHandle {
    return this.track(conv3dBackpropInput(this.get(dy), this.get(w), xShape, attrs));
  }

  conv3dBackpropFilter(x: KernelHandle, dy: KernelHandle, wShape: Shape, attrs: Conv3DAttrs): KernelHandle {
    return this.track(conv3dBackpropFilter(this.get(x), this.get(dy), wShape, attrs));
  }

  pool3d(x: KernelHandle, attrs: Pool3DAttrs): KernelHandle {
    return this.track(pool3d(this.get(x), attrs));
  }

  pool3dBackprop(dy: KernelHandle, x: KernelHandle, attrs: Pool3DAttrs): KernelHandle {
    return this.track(pool3dBackprop(this.get(dy), this.get(x), attrs));
  }

  reshape(x: KernelHandle, shape: Shape): KernelHandle {
    return this.track(reshape(this.get(x), shape));
  }

  transpose(x: KernelHandle, perm: readonly number[]): KernelHandle {
    return this.track(transpose(this.get(x), perm));
  }

  expand(x: KernelHandle, shape: Shape): KernelHandle {
    return this.track(expand(this.get(x), shape));
  }

  slice(x: KernelHandle, begin: readonly number[], size: readonly number[]): KernelHandle {
    return this.track(slice(this.get(x), begin, size));
  }

  pad(x: KernelHandle, pads: readonly (readonly [number, number])[], value: number): KernelHandle {
    return this.track(pad(this.get(x), pads, value));
  }

  concat(xs: readonly KernelHandle[], axis: number): KernelHandle {
    return this.track(concat(xs.map((x) => this.get(x)), axis));
  }

  gather(x: KernelHandle, indices: KernelHandle, axis: number): KernelHandle {
    return this.track(gather(this.get(x), this.get(indices), axis));
  }

  scatterAdd(updates: KernelHandle, indices: KernelHandle, axis: number, shape: Shape): KernelHandle {
    return this.track(scatterAdd(this.get(updates), this.get(indices), axis, shape));
  }

  private track(t: RefTensor): RefTensor {
    this.live.add(t);
    return t;
  }

  private get(x: KernelHandle): RefTensor {
    if (!(x instanceof RefTensor)) throw new OpenMindError('reference: handle was made by another backend.');
    if (!this.live.has(x)) throw new OpenMindError(`reference: handle [${x.shape.join(', ')}] ${x.dtype} was used after dispose.`);
    return x;
  }
}
