import { type Backend, OpenMindError, setBackend } from '@openmind-ssl/core';
import { createTfjsBackend } from '@openmind-ssl/backend-tfjs';
import { createWebGpuBackend } from '@openmind-ssl/backend-webgpu';
// tfjs's pure-JS backend registers itself on import; backend-tfjs then uses it instead of importing it by
// name (which a browser cannot resolve at run time).
import '@tensorflow/tfjs-backend-cpu';
import type { BackendReport, BackendRequest } from '../protocol.js';

/** Whether this worker's `navigator.gpu` offers an adapter, and which (or why not). */
export async function probeAdapter(): Promise<{ available: boolean; reason: string }> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { available: false, reason: 'this browser has no navigator.gpu (WebGPU is off or unsupported)' };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { available: false, reason: 'navigator.gpu offers no adapter (no GPU, or WebGPU is blocked for it)' };
  const info = adapter.info;
  const name = [info.vendor, info.architecture, info.device, info.description].filter((s) => s).join(' ') || 'unnamed adapter';
  return { available: true, reason: `WebGPU adapter: ${name}` };
}

/**
 * Starts the backend the user asked for and makes it current: WebGPU on `navigator.gpu` (the worker's own),
 * or TensorFlow.js's CPU backend. 'auto' takes WebGPU whenever an adapter is offered — in a browser it is
 * the only GPU path we have, and even a software adapter runs the same kernels a real GPU would.
 * @throws OpenMindError when WebGPU is asked for by name and no adapter is offered.
 */
export async function startBackend(request: BackendRequest, previous: Backend | undefined): Promise<{ backend: Backend; report: BackendReport }> {
  const probe = await probeAdapter();
  await previous?.close();
  if (request === 'webgpu' && !probe.available) throw new OpenMindError(`WebGPU cannot start: ${probe.reason}. Choose TensorFlow.js (CPU).`);
  const useGpu = request === 'webgpu' || (request === 'auto' && probe.available);
  if (useGpu) {
    const backend = createWebGpuBackend({ gpu: (navigator as Navigator & { gpu: GPU }).gpu });
    await backend.init();
    setBackend(backend);
    const why = request === 'auto' ? 'chosen automatically: navigator.gpu gave an adapter' : 'chosen by you';
    const soft = backend.profile.software ? ' (a software adapter: correct, but slower than a real GPU)' : '';
    return { backend, report: { name: 'webgpu', reason: `${why}; ${backend.profile.adapter}${soft}`, webgpuAvailable: true, webgpuReason: probe.reason } };
  }
  const backend = createTfjsBackend({ variant: 'cpu' });
  await backend.init();
  setBackend(backend);
  const why = request === 'tfjs' ? 'chosen by you' : `WebGPU is not available (${probe.reason})`;
  return { backend, report: { name: 'tfjs', reason: `TensorFlow.js CPU backend: ${why}`, webgpuAvailable: probe.available, webgpuReason: probe.reason } };
}
