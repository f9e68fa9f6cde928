import { OpenMindError } from '@openmind-ssl/core';
import type { Sample } from '@openmind-ssl/core';

/**
 * Checks that a sample is a well-formed (C, X, Y, Z) volume with masks of the same spatial size, so the
 * transforms can index without bounds checks.
 * @throws OpenMindError naming the operation and the field when a size does not match.
 */
export function validateSample(op: string, sample: Sample): void {
  const { shape, image } = sample;
  if (shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new OpenMindError(`${op}: sample.shape must be 4 positive integers [C, X, Y, Z], but got [${shape.join(', ')}].`);
  }
  const spatial = shape[1] * shape[2] * shape[3];
  if (image.length !== shape[0] * spatial) {
    throw new OpenMindError(
      `${op}: sample.image must hold C*X*Y*Z = ${shape[0] * spatial} values for shape [${shape.join(', ')}], but has ${image.length}.`,
    );
  }
  for (const [name, mask] of Object.entries(sample.masks ?? {})) {
    if (!Number.isInteger(mask.channels) || mask.channels < 1 || mask.data.length !== mask.channels * spatial) {
      throw new OpenMindError(
        `${op}: sample.masks["${name}"] must hold channels*X*Y*Z = ${mask.channels}*${spatial} values, but has ${mask.data.length}.`,
      );
    }
  }
}

/** Number of voxels of one channel. */
export function spatialSize(shape: readonly number[]): number {
  return shape[1]! * shape[2]! * shape[3]!;
}
