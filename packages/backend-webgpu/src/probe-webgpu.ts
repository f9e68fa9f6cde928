import type { KernelVariant } from './runtime/adapter-profile.js';
import { chooseProfile } from './runtime/adapter-profile.js';

/**
 * Dawn instances by flags, one per process: Dawn's Node binding frees an instance when its `GPU` object
 * is garbage-collected, and a device callback that arrives afterwards crashes the process, so instances
 * are kept for the life of the process (and shared by the probe and every backend).
 */
const dawnInstances = new Map<string, GPU>();

/** Where a `GPU` comes from: the browser's `navigator.gpu`, or Dawn through the `webgpu` package in Node. */
export async function resolveGpu(dawnFlags: readonly string[] = []): Promise<{ gpu: GPU | null; why: string }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, why: 'navigator.gpu' };
  try {
    const key = dawnFlags.join('\n');
    let gpu = dawnInstances.get(key);
    if (!gpu) {
      // A variable specifier keeps browser bundlers from trying to bundle the native Node addon.
      const specifier = 'webgpu';
      const mod = (await import(/* @vite-ignore */ specifier)) as { create(flags: string[]): GPU };
      gpu = mod.create([...dawnFlags]);
      dawnInstances.set(key, gpu);
    }
    return { gpu, why: 'Dawn (webgpu npm package)' };
  } catch (err) {
    return {
      gpu: null,
      why: `no navigator.gpu, and the 'webgpu' package could not be loaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); `
        + 'in Node run `npm install webgpu`',
    };
  }
}

/** Whether a WebGPU adapter can be obtained here, with a one-line reason when not. */
export interface WebGpuProbe {
  readonly available: boolean;
  readonly reason: string;
  /** The matmul/conv variant the backend would choose for the adapter found. */
  readonly variant?: KernelVariant;
}

/**
 * Checks for a WebGPU adapter without creating a backend (tests use it to skip with one line). On a
 * machine without a GPU, Dawn needs a Vulkan software driver that it accepts: Mesa 25's lavapipe.
 */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  const { gpu, why } = await resolveGpu();
  if (!gpu) return { available: false, reason: why };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) {
    return {
      available: false,
      reason: `${why} found no adapter; on a machine without a GPU install Mesa 25 lavapipe `
        + '(mesa-vulkan-drivers from bookworm-backports, see .ci/install-system)',
    };
  }
  const profile = chooseProfile(adapter);
  return { available: true, reason: profile.adapter, variant: profile.variant };
}
