import type {
  Backend, BackendCapabilities, BackendMemory, BinaryOp, Conv3DAttrs, DType, HostArray, KernelHandle,
  Pool3DAttrs, ReduceOp, Shape, UnaryOp,
} from '@openmind-ssl/core';
import { OpenMindError } from '@openmind-ssl/core';
import { argMax } from './kernels/arg-max.js';
import { conv3d, conv3dBackpropFilter, conv3dBackpropInput } from './kernels/conv3d.js';
import { binary, cast, expand, unary, where } from './kernels/elementwise.js';
import { gather, scatterAdd } from './kernels/gather.js';
import { concat, fill, pad, slice, transpose } from './kernels/layout.js';
import { matmul } from './kernels/matmul.js';
import { pool3d, pool3dBackprop } from './kernels/pool3d.js';
import { reduce } from './kernels/reduce.js';
import type { AdapterProfile } from './runtime/adapter-profile.js';
import type { PoolStats } from './runtime/buffer-pool.js';
import type { GpuRuntime } from './runtime/gpu-runtime.js';
import { GpuTensor } from './runtime/gpu-tensor.js';

/** A started backend's device state: the runtime and the adapter's kernel profile. */
export interface WebGpuSession {
  readonly runtime: GpuRuntime;
  readonly profile: AdapterProfile;
  /** The GPU entry point, held for the session's lifetime (a collected Dawn instance crashes its callbacks). */
  readonly gpu: GPU;
}

/**
 * The `Backend` contract on WebGPU. Kernel calls record WGSL dispatches into a command batch and return
 * at once; `read` submits and maps. Construct it with `createWebGpuBackend` and call `init()`.
 */
export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  /** A software adapter (lavapipe, SwiftShader) runs on the CPU: tools then pick CPU-sized defaults. */
  get capabilities(): BackendCapabilities {
    return { floatPrecision: 1e-4, syncRead: false, device: this.session && !this.session.profile.software ? 'gpu' : 'cpu' };
  }
  private session: WebGpuSession | null = null;

  constructor(private readonly start: () => Promise<WebGpuSession>) {}

  async init(): Promise<void> {
    if (!this.session) this.session = await this.start();
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (!s) return;
    if (!s.runtime.health.isLost) await s.runtime.sync().catch(() => undefined);
    await s.runtime.destroy();
  }

  /** The adapter, the kernel variant chosen for it and why. */
  get profile(): AdapterProfile {
    return this.s.profile;
  }

  /** Buffer-pool counters (buffers created and reused, idle bytes). */
  poolStats(): PoolStats {
    return this.s.runtime.pool.stats();
  }

  /** Waits until every recorded kernel has run (benchmarks time with it). */
  async sync(): Promise<void> {
    await this.rt.sync();
  }

  upload(data: HostArray, shape: Shape, dtype: DType): KernelHandle { return this.rt.upload(data, shape, dtype); }
  fill(shape: Shape, dtype: DType, value: number): KernelHandle { return fill(this.rt, shape, dtype, value); }
  read(x: KernelHandle): Promise<HostArray> { return this.rt.read(t(x)); }
  dispose(x: KernelHandle): void { if (x instanceof GpuTensor) this.session?.runtime.dispose(x); }
  memory(): BackendMemory { return this.session?.runtime.memory() ?? { handles: 0, bytes: 0 }; }

  unary(op: UnaryOp, x: KernelHandle): KernelHandle { return unary(this.rt, op, t(x)); }
  binary(op: BinaryOp, a: KernelHandle, b: KernelHandle): KernelHandle { return binary(this.rt, op, t(a), t(b)); }
  where(c: KernelHandle, a: KernelHandle, b: KernelHandle): KernelHandle { return where(this.rt, t(c), t(a), t(b)); }
  cast(x: KernelHandle, dtype: DType): KernelHandle { return cast(this.rt, t(x), dtype); }
  reduce(op: ReduceOp, x: KernelHandle, axes: readonly number[]): KernelHandle { return reduce(this.rt, op, t(x), axes); }
  argMax(x: KernelHandle, axis: number): KernelHandle { return argMax(this.rt, t(x), axis); }

  matmul(a: KernelHandle, b: KernelHandle, ta: boolean, tb: boolean): KernelHandle {
    return matmul(this.s, t(a), t(b), ta, tb);
  }

  conv3d(x: KernelHandle, w: KernelHandle, attrs: Conv3DAttrs): KernelHandle { return conv3d(this.s, t(x), t(w), attrs); }
  conv3dBackpropInput(dy: KernelHandle, w: KernelHandle, xShape: Shape, attrs: Conv3DAttrs): KernelHandle {
    return conv3dBackpropInput(this.s, t(dy), t(w), xShape, attrs);
  }
  conv3dBackpropFilter(x: KernelHandle, dy: KernelHandle, wShape: Shape, attrs: Conv3DAttrs): KernelHandle {
    return conv3dBackpropFilter(this.s, t(x), t(dy), wShape, attrs);
  }

  pool3d(x: KernelHandle, attrs: Pool3DAttrs): KernelHandle { return pool3d(this.rt, t(x), attrs); }
  pool3dBackprop(dy: KernelHandle, x: KernelHandle, attrs: Pool3DAttrs): KernelHandle {
    return pool3dBackprop(this.rt, t(dy), t(x), attrs);
  }

  /** A view on the same buffers: no copy. */
  reshape(x: KernelHandle, shape: Shape): KernelHandle { return this.rt.view(t(x), shape); }
  transpose(x: KernelHandle, perm: readonly number[]): KernelHandle { return transpose(this.rt, t(x), perm); }
  expand(x: KernelHandle, shape: Shape): KernelHandle { return expand(this.rt, t(x), shape); }
  slice(x: KernelHandle, begin: readonly number[], size: readonly number[]): KernelHandle {
    return slice(this.rt, t(x), begin, size);
  }
  pad(x: KernelHandle, pads: readonly (readonly [number, number])[], value: number): KernelHandle {
    return pad(this.rt, t(x), pads, value);
  }
  concat(xs: readonly KernelHandle[], axis: number): KernelHandle { return concat(this.rt, xs.map(t), axis); }
  gather(x: KernelHandle, indices: KernelHandle, axis: number): KernelHandle { return gather(this.rt, t(x), t(indices), axis); }
  scatterAdd(updates: KernelHandle, indices: KernelHandle, axis: number, shape: Shape): KernelHandle {
    return scatterAdd(this.rt, t(updates), t(indices), axis, shape);
  }

  private get s(): WebGpuSession {
    if (!this.session) throw new OpenMindError('webgpu: the backend is not initialised; await backend.init() first (or it was closed).');
    return this.session;
  }

  private get rt(): GpuRuntime {
    return this.s.runtime;
  }
}

/** The backend's own handle type, checked so a handle of another backend fails clearly. */
function t(x: KernelHandle): GpuTensor {
  if (!(x instanceof GpuTensor)) throw new OpenMindError('webgpu: got a handle made by another backend; tensors cannot move between backends implicitly.');
  if (x.disposed) throw new OpenMindError(`webgpu: a tensor of shape [${x.shape.join(', ')}] was used after dispose().`);
  return x;
}
