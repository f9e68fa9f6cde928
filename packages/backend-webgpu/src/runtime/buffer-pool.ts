import { TENSOR_USAGE } from './gpu-constants.js';

/** Counts of what the pool holds, for `memory()` and the tests. */
export interface PoolStats {
  /** Buffers created since the backend started. */
  readonly created: number;
  /** Requests served by a reused buffer. */
  readonly reused: number;
  /** Idle buffers kept for reuse, and their bytes. */
  readonly idleBuffers: number;
  readonly idleBytes: number;
}

/**
 * Rounds a request up to a size class, so that tensors of nearby sizes share buffers: 256-byte steps up
 * to 64 KiB, then eighths of the power of two (at most 12.5% wasted).
 */
export function sizeClass(bytes: number): number {
  const b = Math.max(bytes, 16);
  if (b <= 65536) return Math.ceil(b / 256) * 256;
  const step = 2 ** Math.floor(Math.log2(b)) / 8;
  return Math.ceil(b / step) * step;
}

/**
 * Reuses tensor buffers. A buffer released while commands that use it are still only recorded (not yet
 * submitted) may be handed to a later kernel of the same batch, since commands run in order, but not to
 * an upload: `queue.writeBuffer` runs before the recorded batch, so it would overwrite data the batch
 * still reads. Such buffers wait in `recent` until the batch is submitted.
 */
export class BufferPool {
  private readonly idle = new Map<number, GPUBuffer[]>();
  private readonly recent = new Map<number, GPUBuffer[]>();
  private idleBytes = 0;
  private created = 0;
  private reused = 0;

  constructor(
    private readonly device: GPUDevice,
    /** Idle bytes kept at most; beyond it released buffers are destroyed. */
    private readonly maxIdleBytes: number,
    /** Largest buffer handed out (one binding), so that a whole buffer can always be bound. */
    private readonly maxBufferBytes: number,
  ) {}

  /** A buffer of at least `bytes` for a kernel's output (may reuse one released in this batch). */
  acquireForKernel(bytes: number): GPUBuffer {
    const size = Math.min(sizeClass(bytes), this.maxBufferBytes);
    const hit = this.recent.get(size)?.pop() ?? this.takeIdle(size);
    if (hit) { this.reused++; return hit; }
    return this.create(size);
  }

  /** A buffer of at least `bytes` that nothing recorded-but-unsubmitted uses (for `writeBuffer`). */
  acquireForUpload(bytes: number): GPUBuffer {
    const size = Math.min(sizeClass(bytes), this.maxBufferBytes);
    const hit = this.takeIdle(size);
    if (hit) { this.reused++; return hit; }
    return this.create(size);
  }

  release(buffer: GPUBuffer): void {
    const list = this.recent.get(buffer.size);
    if (list) list.push(buffer);
    else this.recent.set(buffer.size, [buffer]);
  }

  /** Called after each submit: buffers released during the batch become safe for uploads. */
  onSubmitted(): void {
    for (const [size, list] of this.recent) {
      for (const buffer of list) {
        if (this.idleBytes + size > this.maxIdleBytes) { buffer.destroy(); continue; }
        const idle = this.idle.get(size);
        if (idle) idle.push(buffer);
        else this.idle.set(size, [buffer]);
        this.idleBytes += size;
      }
    }
    this.recent.clear();
  }

  stats(): PoolStats {
    let idleBuffers = 0;
    for (const list of this.idle.values()) idleBuffers += list.length;
    return { created: this.created, reused: this.reused, idleBuffers, idleBytes: this.idleBytes };
  }

  /** Destroys every idle buffer (buffers of live tensors are untouched). */
  clear(): void {
    for (const list of [...this.idle.values(), ...this.recent.values()]) for (const b of list) b.destroy();
    this.idle.clear();
    this.recent.clear();
    this.idleBytes = 0;
  }

  private takeIdle(size: number): GPUBuffer | undefined {
    const hit = this.idle.get(size)?.pop();
    if (hit) this.idleBytes -= size;
    return hit;
  }

  private create(size: number): GPUBuffer {
    this.created++;
    return this.device.createBuffer({ size, usage: TENSOR_USAGE });
  }
}
