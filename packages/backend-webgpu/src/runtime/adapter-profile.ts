/** How matmul and convolution kernels are blocked. */
export type KernelVariant = 'tiled' | 'register';

/** The variant chosen for an adapter, and why (shown by `describe()` and the benchmarks). */
export interface AdapterProfile {
  readonly variant: KernelVariant;
  readonly software: boolean;
  readonly reason: string;
  /** One line naming the adapter. */
  readonly adapter: string;
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|microsoft basic render|warp/i;

/**
 * Picks the kernel variant from the adapter's info and limits. On a CPU-emulated device (lavapipe,
 * SwiftShader, WARP) each workgroup barrier is a thread synchronisation and workgroup memory is ordinary
 * memory, so register-blocked kernels without workgroup memory win by about 10x; on real GPUs, tiles
 * staged through workgroup memory cut global-memory traffic and win. `forced` overrides the choice.
 */
export function chooseProfile(adapter: GPUAdapter, forced?: KernelVariant): AdapterProfile {
  // Typed loosely: older @webgpu/types (pulled in by tfjs-core) predate GPUAdapter.info.
  const info = (adapter as GPUAdapter & { info: GPUAdapterInfo }).info;
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const fallback = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const software = fallback || SOFTWARE.test(text);
  const tiledFits = adapter.limits.maxComputeWorkgroupStorageSize >= 8192 && adapter.limits.maxComputeInvocationsPerWorkgroup >= 256;
  let variant: KernelVariant;
  let reason: string;
  if (forced) {
    variant = forced;
    reason = 'forced by the kernelVariant option';
  } else if (software) {
    variant = 'register';
    reason = 'software adapter: barriers and workgroup memory cost more than they save';
  } else if (!tiledFits) {
    variant = 'register';
    reason = 'workgroup memory or invocations too small for 64x64 tiles';
  } else {
    variant = 'tiled';
    reason = 'hardware adapter: workgroup-memory tiling';
  }
  return { variant, software, reason, adapter: text || 'unknown adapter' };
}
