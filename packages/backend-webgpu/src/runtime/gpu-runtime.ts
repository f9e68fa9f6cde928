import type { DType, HostArray, Shape } from '@openmind-ssl/core';
import { OpenMindError, allocate, sizeOf } from '@openmind-ssl/core';
import { BufferPool } from './buffer-pool.js';
import { CommandBatch } from './command-batch.js';
import { DeviceHealth } from './device-health.js';
import type { DeviceLimits } from './device-limits.js';
import { BufferUsage, MapMode } from './gpu-constants.js';
import { GpuStorage, GpuTensor, segmentSizes } from './gpu-tensor.js';
import { PipelineCache } from './pipeline-cache.js';
import type { Program } from './program.js';
import { assembleProgram } from './program.js';

/** Tuning of the runtime. */
export interface RuntimeOptions {
  /** Dispatches recorded before a batch is submitted without waiting for a read. */
  readonly maxDispatchesPerBatch: number;
  /** Idle buffer bytes the pool keeps for reuse. */
  readonly maxPoolBytes: number;
}

/**
 * Owns the device-side state of one backend: buffers and their pool, the command batch, compiled
 * kernels, and device health. Kernels build `Program`s and hand them to `run`.
 */
export class GpuRuntime {
  readonly health: DeviceHealth;
  readonly pool: BufferPool;
  readonly batch: CommandBatch;
  readonly pipelines: PipelineCache;
  private liveHandles = 0;
  private liveBytes = 0;

  constructor(readonly device: GPUDevice, readonly limits: DeviceLimits, options: RuntimeOptions) {
    this.health = new DeviceHealth(device);
    this.pool = new BufferPool(device, options.maxPoolBytes, limits.segmentBytes);
    this.batch = new CommandBatch(device, this.pool, this.health, options.maxDispatchesPerBatch);
    this.pipelines = new PipelineCache(device, this.health);
  }

  memory(): { handles: number; bytes: number } {
    return { handles: this.liveHandles, bytes: this.liveBytes };
  }

  /** A new tensor whose buffers kernels will write. */
  allocate(shape: Shape, dtype: DType, forUpload = false): GpuTensor {
    this.health.assertAlive('allocate');
    const elements = sizeOf(shape);
    const per = this.limits.segmentBytes / 4;
    const buffers = segmentSizes(elements, per).map((n) => (forUpload
      ? this.pool.acquireForUpload(n * 4) : this.pool.acquireForKernel(n * 4)));
    this.liveBytes += elements * 4;
    return this.track(new GpuTensor(shape, dtype, new GpuStorage(buffers, elements, per)));
  }

  /** Another handle on the same storage (reshape). */
  view(x: GpuTensor, shape: Shape): GpuTensor {
    x.storage.refs++;
    return this.track(new GpuTensor(shape, x.dtype, x.storage));
  }

  upload(data: HostArray, shape: Shape, dtype: DType): GpuTensor {
    const t = this.allocate(shape, dtype, true);
    // uint8 is widened to one u32 per element; WGSL storage has no 8-bit type.
    // Host arrays are never shared memory; the DOM lib's writeBuffer insists on an ArrayBuffer-backed view.
    const words = (data instanceof Uint8Array ? Uint32Array.from(data) : data) as Float32Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>;
    let offset = 0;
    segmentSizes(t.size, t.storage.segmentElements).forEach((n, s) => {
      if (n > 0) this.device.queue.writeBuffer(t.storage.buffers[s]!, 0, words, offset, n);
      offset += n;
    });
    return t;
  }

  dispose(x: GpuTensor): void {
    if (x.disposed) return;
    x.disposed = true;
    this.liveHandles--;
    if (--x.storage.refs > 0) return;
    this.liveBytes -= x.storage.elements * 4;
    for (const b of x.storage.buffers) this.pool.release(b);
  }

  /** Records one kernel into the current batch. */
  run(program: Program): void {
    this.health.assertAlive(program.name);
    if ((program.threads ?? program.workgroups ?? 0) === 0) return;
    let a: ReturnType<typeof assembleProgram>;
    try {
      a = assembleProgram(program, this.limits.maxWorkgroupsPerDimension, this.limits.maxStorageBuffers);
    } catch (err) {
      // The kernel throws instead of returning its output, so nothing else would dispose it.
      for (const o of program.outputs) this.dispose(o.tensor);
      throw err;
    }
    const kernel = this.pipelines.get(program.name, a.code, a.access);
    const buffers = [...a.buffers];
    if (a.uniformData) {
      const ub = this.device.createBuffer({ size: a.uniformData.byteLength, usage: BufferUsage.UNIFORM, mappedAtCreation: true });
      new Uint32Array(ub.getMappedRange()).set(a.uniformData);
      ub.unmap();
      this.batch.destroyAfterSubmit(ub);
      buffers.push(ub);
    }
    const bindGroup = this.device.createBindGroup({
      layout: kernel.layout,
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    this.batch.dispatch(kernel.pipeline, bindGroup, a.grid);
  }

  /** Submits pending work and copies `x` to the host; throws the GPU errors recorded since the last read. */
  async read(x: GpuTensor): Promise<HostArray> {
    this.health.assertAlive('read');
    if (x.disposed) throw new OpenMindError('webgpu read: the tensor was already disposed.');
    const sizes = segmentSizes(x.size, x.storage.segmentElements).filter((n) => n > 0);
    const staging = sizes.map((n, s) => {
      const b = this.device.createBuffer({ size: n * 4, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
      this.batch.copy(x.storage.buffers[s]!, 0, b, 0, n * 4);
      return b;
    });
    const submitted = this.batch.submit();
    try {
      await Promise.race([Promise.all([...staging.map((b) => b.mapAsync(MapMode.READ)), submitted]), this.health.lost]);
      this.health.throwPending('read');
      const out = allocate(x.dtype, x.size);
      let offset = 0;
      staging.forEach((b, s) => {
        const n = sizes[s]!;
        const src = x.dtype === 'float32' ? new Float32Array(b.getMappedRange())
          : x.dtype === 'int32' ? new Int32Array(b.getMappedRange()) : new Uint32Array(b.getMappedRange());
        out.set(src.subarray(0, n), offset);
        offset += n;
      });
      return out;
    } catch (err) {
      if (err instanceof OpenMindError) throw err;
      this.health.throwPending('read');
      throw new OpenMindError(`webgpu read: mapping the result for reading failed: ${String(err)}`, { cause: err });
    } finally {
      for (const b of staging) b.destroy();
    }
  }

  /** Waits for all submitted work (used by benchmarks and `close`). */
  async sync(): Promise<void> {
    await this.batch.submit();
    await Promise.race([this.device.queue.onSubmittedWorkDone(), this.health.lost]);
    this.health.throwPending('sync');
  }

  /** Destroys the device and waits until Dawn has reported it lost, so no callback is left pending. */
  async destroy(): Promise<void> {
    this.pool.clear();
    this.device.destroy();
    await Promise.race([this.device.lost, new Promise((resolve) => setTimeout(resolve, 1000))]);
  }

  private track(t: GpuTensor): GpuTensor {
    this.liveHandles++;
    return t;
  }
}
