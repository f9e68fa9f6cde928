import { OpenMindError } from '@openmind-ssl/core';
import type { Shape3 } from './volume.js';

/**
 * The spatial shape `[d0, d1, d2]`, channels and spacing of a NIfTI volume in array-axis order: the
 * NIfTI axes reversed, as SimpleITK hands them to nnssl (`[X, Y, Z, T]` → channels T, spatial [Z, Y, X]).
 * The voxel buffer (x fastest) is already row-major in that order, so no copy is needed.
 * @throws OpenMindError for fewer than 3 or more than 4 dimensions.
 */
export function arrayGeometry(shape: readonly number[], spacing: readonly number[], file: string): { channels: number; spatial: Shape3; spacing: Shape3 } {
  const dims = [...shape];
  while (dims.length > 3 && dims[dims.length - 1] === 1) dims.pop();
  if (dims.length < 3 || dims.length > 4) {
    throw new OpenMindError(`preprocess "${file}": the image must be 3-D (or 4-D with channels last), but got shape [${shape.join(', ')}].`);
  }
  return {
    channels: dims[3] ?? 1,
    spatial: [dims[2]!, dims[1]!, dims[0]!],
    spacing: [spacing[2]!, spacing[1]!, spacing[0]!],
  };
}
