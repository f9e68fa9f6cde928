import { OpenMindError } from '@openmind-ssl/core';
import { resolveGpu } from './probe-webgpu.js';
import type { KernelVariant } from './runtime/adapter-profile.js';
import { chooseProfile } from './runtime/adapter-profile.js';
import { deviceLimits, requiredLimits } from './runtime/device-limits.js';
import { GpuRuntime } from './runtime/gpu-runtime.js';
import { WebGpuBackend } from './webgpu-backend.js';

/** Options of `createWebGpuBackend`. */
export interface WebGpuBackendOptions {
  /** The WebGPU entry point; default `navigator.gpu`, else Dawn from the `webgpu` package (Node). */
  readonly gpu?: GPU;
  /** Adapter preference passed to `requestAdapter`. */
  readonly powerPreference?: GPUPowerPreference;
  /** Force the matmul/conv blocking instead of choosing it from the adapter. */
  readonly kernelVariant?: KernelVariant;
  /** Flags for Dawn's `create()` when the `webgpu` package is used (e.g. `'backend=vulkan'`). */
  readonly dawnFlags?: readonly string[];
  /** Lower the bytes of one storage binding below the device's limit (tests of split tensors). */
  readonly maxBindingBytes?: number;
  /** Dispatches recorded before a batch is submitted without a read (default 128). */
  readonly maxDispatchesPerBatch?: number;
  /** Idle buffer bytes kept for reuse (default 512 MiB). */
  readonly maxPoolBytes?: number;
}

/**
 * Creates the WebGPU backend (call `init()` before use). `init` throws an `OpenMindError` when no
 * WebGPU implementation or adapter is found, saying what to install.
 */
export function createWebGpuBackend(options: WebGpuBackendOptions = {}): WebGpuBackend {
  return new WebGpuBackend(async () => {
    const found = options.gpu ? { gpu: options.gpu, why: 'the gpu option' } : await resolveGpu(options.dawnFlags);
    if (!found.gpu) throw new OpenMindError(`webgpu init: ${found.why}.`);
    const adapter = await found.gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : undefined);
    if (!adapter) {
      throw new OpenMindError(
        `webgpu init: ${found.why} offers no adapter.\nHint: on a machine without a GPU, install Mesa 25 lavapipe `
          + '(mesa-vulkan-drivers from bookworm-backports; see .ci/install-system); Mesa 22 is refused by Dawn.',
      );
    }
    const device = await adapter.requestDevice({ requiredLimits: requiredLimits(adapter) });
    const limits = deviceLimits(device, options.maxBindingBytes);
    const runtime = new GpuRuntime(device, limits, {
      maxDispatchesPerBatch: options.maxDispatchesPerBatch ?? 128,
      maxPoolBytes: options.maxPoolBytes ?? 512 * 2 ** 20,
    });
    return { runtime, profile: chooseProfile(adapter, options.kernelVariant), gpu: found.gpu };
  });
}
