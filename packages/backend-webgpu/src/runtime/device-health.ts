import { OpenMindError } from '@openmind-ssl/core';

/**
 * Collects what went wrong on the device, which WebGPU reports asynchronously: validation and
 * out-of-memory errors from error scopes, shader compilation messages, and device loss. Kernel calls are
 * synchronous, so errors surface on the next `read` (and loss on every later call), never as a hang.
 */
export class DeviceHealth {
  private lostInfo: { reason: string; message: string } | null = null;
  private pending: string[] = [];
  /** Settles (rejects) when the device is lost, so that waits on the GPU can race against it. */
  readonly lost: Promise<never>;

  constructor(device: GPUDevice) {
    this.lost = device.lost.then((info) => {
      this.lostInfo = { reason: String(info.reason), message: info.message };
      throw this.lostError('the operation');
    });
    // Without a handler the rejection would be reported as unhandled when nobody is reading.
    this.lost.catch(() => undefined);
    device.addEventListener('uncapturederror', (event) => {
      this.record('uncaptured GPU error', (event as GPUUncapturedErrorEvent).error.message);
    });
  }

  get isLost(): boolean {
    return this.lostInfo !== null;
  }

  /** Stores an error to be thrown by the next read. */
  record(context: string, message: string): void {
    this.pending.push(`${context}: ${message.trim()}`);
  }

  /** Throws when the device is lost; kernels call it before recording work. */
  assertAlive(op: string): void {
    if (this.lostInfo) throw this.lostError(op);
  }

  /** Throws (and clears) the errors recorded since the last check. */
  throwPending(op: string): void {
    if (this.lostInfo) throw this.lostError(op);
    if (this.pending.length === 0) return;
    const messages = this.pending.splice(0);
    throw new OpenMindError(
      `webgpu ${op}: the GPU reported ${messages.length} error(s); results computed since the last read are undefined.\n`
        + messages.map((m) => `  - ${m}`).join('\n'),
    );
  }

  private lostError(op: string): OpenMindError {
    const info = this.lostInfo;
    return new OpenMindError(
      `webgpu ${op}: the GPU device was lost (reason "${info?.reason}": ${info?.message}). `
        + 'Every tensor of this backend is gone.\nHint: create a new backend; if the loss repeats, the driver '
        + 'may have reset a kernel that ran too long (smaller batches or patches help).',
    );
  }
}
