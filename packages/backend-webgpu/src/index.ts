export { WebGpuBackend } from './webgpu-backend.js';
export type { WebGpuSession } from './webgpu-backend.js';
export { createWebGpuBackend } from './create-webgpu-backend.js';
export type { WebGpuBackendOptions } from './create-webgpu-backend.js';
export { probeWebGpu } from './probe-webgpu.js';
export type { WebGpuProbe } from './probe-webgpu.js';
export type { AdapterProfile, KernelVariant } from './runtime/adapter-profile.js';
export type { PoolStats } from './runtime/buffer-pool.js';
export { webGpuPlugin, webGpuProvider } from './plugin.js';
import { webGpuPlugin } from './plugin.js';

export default webGpuPlugin;
