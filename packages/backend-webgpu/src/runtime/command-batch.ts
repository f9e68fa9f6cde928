import type { BufferPool } from './buffer-pool.js';
import type { DeviceHealth } from './device-health.js';

/**
 * Records kernels into one command encoder (one compute pass while dispatches follow each other) and
 * submits lazily: when data is read, or when the batch reaches `maxDispatches` so that the GPU starts
 * working during long recordings. Each batch runs inside validation and out-of-memory error scopes.
 */
export class CommandBatch {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private dispatches = 0;
  /** Buffers to destroy once the batch that uses them is submitted (e.g. uniform values). */
  private readonly transient: GPUBuffer[] = [];
  /** Number of submits so far (for tests and diagnostics). */
  submits = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly pool: BufferPool,
    private readonly health: DeviceHealth,
    private readonly maxDispatches: number,
  ) {}

  dispatch(pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, grid: readonly [number, number, number]): void {
    if (!this.pass) this.pass = this.open().beginComputePass();
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup);
    this.pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
    if (++this.dispatches >= this.maxDispatches) this.submit();
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    this.closePass();
    this.open().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  clear(buffer: GPUBuffer, bytes: number): void {
    this.closePass();
    this.open().clearBuffer(buffer, 0, bytes);
  }

  /** Destroys `buffer` after the current batch is submitted. */
  destroyAfterSubmit(buffer: GPUBuffer): void {
    this.transient.push(buffer);
  }

  /** Submits what was recorded (if anything); resolves when the GPU has accepted or rejected it. */
  submit(): Promise<void> {
    if (!this.encoder) return Promise.resolve();
    this.closePass();
    const encoder = this.encoder;
    this.encoder = null;
    this.dispatches = 0;
    this.device.queue.submit([encoder.finish()]);
    this.submits++;
    const oom = this.device.popErrorScope();
    const validation = this.device.popErrorScope();
    for (const b of this.transient.splice(0)) b.destroy();
    this.pool.onSubmitted();
    return Promise.all([validation, oom]).then(([v, o]) => {
      if (v) this.health.record('GPU validation error', v.message);
      if (o) this.health.record('GPU out of memory', o.message);
    }, () => undefined);
  }

  private open(): GPUCommandEncoder {
    if (!this.encoder) {
      this.device.pushErrorScope('validation');
      this.device.pushErrorScope('out-of-memory');
      this.encoder = this.device.createCommandEncoder();
    }
    return this.encoder;
  }

  private closePass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }
}
