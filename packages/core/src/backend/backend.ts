import type { DType, HostArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import type {
  BinaryOp, Conv3DAttrs, Pool3DAttrs, ReduceOp, UnaryOp,
} from './kernel-types.js';

/**
 * A backend's reference to a tensor's storage. Core never looks inside: it only passes handles back to
 * the backend that made them. A handle may stand for a value not computed yet (queued or recorded).
 */
export interface KernelHandle {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** What a backend can do beyond the primitives, and how exact it is. */
export interface BackendCapabilities {
  /** Relative tolerance the conformance suite allows this backend (1e-4 for float32 compute). */
  readonly floatPrecision: number;
  /** Whether a read can block (reference and tfjs CPU can; GPU and graph backends cannot). */
  readonly syncRead: boolean;
  /** Where kernels run; 'cpu' (also software GPU drivers) makes tools choose CPU-sized defaults. */
  readonly device?: 'cpu' | 'gpu';
}

/** Memory held by a backend right now. */
export interface BackendMemory {
  readonly handles: number;
  readonly bytes: number;
}

/**
 * The compute contract. Every kernel call returns a handle at once; values are only observed through
 * `read`, which is asynchronous. So a backend may compute each kernel immediately, queue it, or record a
 * whole step and run it as one graph. Kernels may assume their inputs were validated by core's ops:
 * shapes agree, axes are normalized and in range, dtypes are the documented ones.
 *
 * Handles are owned by core: a handle passed to a kernel stays valid until core calls `dispose` on it,
 * and every returned handle is independent — disposing one never invalidates another (a backend whose
 * reshape returns a view of shared storage must reference-count that storage).
 */
export interface Backend {
  readonly name: string;
  readonly capabilities: BackendCapabilities;

  /** Prepares the backend (load native code, request a device). Throws when it cannot start. */
  init(): Promise<void>;
  /** Releases everything the backend holds (device, sessions). The backend is unusable afterwards. */
  close(): Promise<void>;

  /** Run-time data: values that may change from call to call (a batch, a learning rate). */
  upload(data: HostArray, shape: Shape, dtype: DType): KernelHandle;
  /** A tensor of one repeated value; the value is a compile-time constant to a graph backend. */
  fill(shape: Shape, dtype: DType, value: number): KernelHandle;
  read(x: KernelHandle): Promise<HostArray>;
  /** Blocking read, present only where `capabilities.syncRead` is true. */
  readSync?(x: KernelHandle): HostArray;
  dispose(x: KernelHandle): void;
  memory(): BackendMemory;
  /**
   * Optional, for graph backends: the work recorded so far may be evaluated on its own now. Core marks
   * the end of a training step's backward pass and the chunks of its optimizer update with it, so that
   * the old and new optimizer state of a whole model never have to exist at once. Eager backends leave
   * it out.
   */
  evaluationBoundary?(): void;

  unary(op: UnaryOp, x: KernelHandle): KernelHandle;
  /** Broadcasting element-wise op; comparisons return uint8. Both inputs have the same dtype. */
  binary(op: BinaryOp, a: KernelHandle, b: KernelHandle): KernelHandle;
  /** cond (uint8) ? a : b, all three broadcast to one shape. */
  where(cond: KernelHandle, a: KernelHandle, b: KernelHandle): KernelHandle;
  cast(x: KernelHandle, dtype: DType): KernelHandle;
  /** Reduces the given (sorted, unique) axes, keeping them as size 1. */
  reduce(op: ReduceOp, x: KernelHandle, axes: readonly number[]): KernelHandle;
  /** Index of the largest value along one axis (first on ties), int32, the axis kept as size 1. */
  argMax(x: KernelHandle, axis: number): KernelHandle;

  /** Batched matrix product of [B, M, K] and [B, K, N] (each optionally stored transposed), float32. */
  matmul(a: KernelHandle, b: KernelHandle, transposeA: boolean, transposeB: boolean): KernelHandle;

  /** x [N, C, D, H, W], w [K, C/groups, kd, kh, kw] → [N, K, D', H', W']. */
  conv3d(x: KernelHandle, w: KernelHandle, attrs: Conv3DAttrs): KernelHandle;
  /** Gradient of conv3d with respect to its input, of shape `xShape`; also the transposed convolution. */
  conv3dBackpropInput(dy: KernelHandle, w: KernelHandle, xShape: Shape, attrs: Conv3DAttrs): KernelHandle;
  /** Gradient of conv3d with respect to its filter, of shape `wShape`. */
  conv3dBackpropFilter(x: KernelHandle, dy: KernelHandle, wShape: Shape, attrs: Conv3DAttrs): KernelHandle;

  pool3d(x: KernelHandle, attrs: Pool3DAttrs): KernelHandle;
  /** Gradient of pool3d: for max, dy goes to the first maximum of each window of x. */
  pool3dBackprop(dy: KernelHandle, x: KernelHandle, attrs: Pool3DAttrs): KernelHandle;

  /** Same values, new shape (sizes agree). */
  reshape(x: KernelHandle, shape: Shape): KernelHandle;
  /** Axis permutation: output axis i is input axis perm[i]. */
  transpose(x: KernelHandle, perm: readonly number[]): KernelHandle;
  /** Repeats size-1 axes to reach `shape` (same rank). */
  expand(x: KernelHandle, shape: Shape): KernelHandle;
  /** The box [begin, begin + size) along every axis. */
  slice(x: KernelHandle, begin: readonly number[], size: readonly number[]): KernelHandle;
  /** Constant padding; pads[i] = [before, after] for axis i, both ≥ 0. */
  pad(x: KernelHandle, pads: readonly (readonly [number, number])[], value: number): KernelHandle;
  concat(xs: readonly KernelHandle[], axis: number): KernelHandle;
  /**
   * Selects entries along `axis` by a 1-D int32 index tensor (PyTorch index_select). Indices must lie in
   * [0, size of axis); core cannot check values without a read, so out-of-range indices are undefined.
   */
  gather(x: KernelHandle, indices: KernelHandle, axis: number): KernelHandle;
  /**
   * The adjoint of gather: a zero tensor of `shape` to which updates[..., i, ...] is added at
   * indices[i] along `axis` (PyTorch index_add); repeated indices accumulate. Indices must lie in
   * [0, shape[axis]), as for gather.
   */
  scatterAdd(updates: KernelHandle, indices: KernelHandle, axis: number, shape: Shape): KernelHandle;
}
