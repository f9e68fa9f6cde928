/** Three spatial extents, row-major: the last axis is contiguous in memory. */
export type Shape3 = [number, number, number];

/**
 * A multi-channel image in memory, laid out as nnssl hands volumes to its preprocessor: channel-first,
 * row-major `[C, d0, d1, d2]`. For a NIfTI file read with SimpleITK order this is `[C, Z, Y, X]`, i.e.
 * the reverse of the NIfTI axes, and the raw NIfTI buffer can be used as is (x is fastest in both).
 */
export interface ImageVolume {
  /** Voxel values, length `C·d0·d1·d2`, row-major. */
  data: Float32Array;
  /** `[C, d0, d1, d2]`. */
  shape: [number, number, number, number];
  /** Voxel spacing in mm of `[d0, d1, d2]`. */
  spacing: Shape3;
  /** Voxel-to-world affine of the source file (4×4, row-major), kept for the record; not used for resampling. */
  affine?: number[][];
}

/**
 * An integer label volume that shares an image's spatial grid (anonymization or anatomy mask). Values
 * are small integers; after preprocessing, −1 marks voxels outside the image's non-zero region.
 */
export interface MaskVolume {
  /** Labels, length `d0·d1·d2`, row-major. */
  data: Int8Array;
  /** `[d0, d1, d2]`, equal to the image's spatial shape. */
  shape: Shape3;
}

/** Number of voxels of a spatial shape. */
export function voxelCount(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Formats a shape for messages, e.g. `[1, 16, 16, 16]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
