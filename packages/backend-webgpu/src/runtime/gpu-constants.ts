/**
 * WebGPU flag values from the specification. Spelled here because Node's `webgpu` package only puts its
 * `GPUBufferUsage`/`GPUMapMode` objects on `globalThis` when asked to, and importing must not touch globals.
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001 } as const;

/** Usage of every tensor buffer: bound to kernels, written by uploads, copied out for reads. */
export const TENSOR_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
