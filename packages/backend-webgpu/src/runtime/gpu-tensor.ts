import type { DType, KernelHandle, Shape } from '@openmind-ssl/core';
import { sizeOf } from '@openmind-ssl/core';

/**
 * The GPU buffers that hold a tensor's elements, shared by reshaped views and released when the last view
 * is disposed. Every element takes 4 bytes (uint8 is stored widened to u32, because WGSL has no 8-bit
 * storage type). A tensor larger than one storage binding is split into segments of `segmentElements`
 * elements, each its own buffer, so every segment can be bound whole.
 */
export class GpuStorage {
  /** Views that still use these buffers. */
  refs = 1;
  constructor(
    readonly buffers: readonly GPUBuffer[],
    readonly elements: number,
    readonly segmentElements: number,
  ) {}
}

/** A backend handle: a shape, a dtype and the storage it views (always contiguous, row-major). */
export class GpuTensor implements KernelHandle {
  readonly size: number;
  disposed = false;
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    readonly storage: GpuStorage,
  ) {
    this.size = sizeOf(shape);
  }
}

/** WGSL element type of each dtype in storage. */
export function wgslType(dtype: DType): 'f32' | 'i32' | 'u32' {
  if (dtype === 'float32') return 'f32';
  if (dtype === 'int32') return 'i32';
  return 'u32';
}

/** Element counts of the segments of a tensor of `elements` elements. */
export function segmentSizes(elements: number, segmentElements: number): number[] {
  const sizes: number[] = [];
  for (let left = elements; left > 0; left -= segmentElements) sizes.push(Math.min(left, segmentElements));
  return sizes.length ? sizes : [0];
}
