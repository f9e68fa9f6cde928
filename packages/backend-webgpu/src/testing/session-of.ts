import type { WebGpuBackend, WebGpuSession } from '../webgpu-backend.js';

/** The backend's device session (private API), for tests that drive the runtime directly. */
export function sessionOf(backend: WebGpuBackend): WebGpuSession {
  return (backend as unknown as { s: WebGpuSession }).s;
}
