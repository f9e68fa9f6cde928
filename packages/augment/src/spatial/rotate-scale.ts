import type { Sample } from '@openmind-ssl/core';
import type { LabelArray, Triple } from '../types.js';
import { mapMasks } from '../map-masks.js';
import { validateSample } from '../validate-sample.js';
import { interpolateCubic } from './interpolate-cubic.js';
import { interpolateLabels } from './interpolate-labels.js';
import { rotationMatrix } from './rotation-matrix.js';
import type { SamplingGrid } from './sampling-grid.js';
import { splinePrefilter3d } from './spline-prefilter.js';

/** Parameters of {@link rotateScale}. */
export interface RotateScaleParams {
  /** Output spatial size (X, Y, Z). */
  patchSize: Triple;
  /** Rotation angles in radians about spatial axes 0, 1, 2 (batchgenerators angle_x, angle_y, angle_z). */
  angles: Triple;
  /** Isotropic scale of the sampling grid; > 1 samples a larger region (the content shrinks). */
  scale: number;
  /** Input coordinate of the patch centre; default shape/2 - 0.5 per axis (batchgenerators, random_crop=False). */
  center?: Triple;
  /** Image value for points outside the input (border mode 'constant'). Default 0. */
  borderValue?: number;
  /** Mask value for points outside the input. Default 0. */
  maskFill?: number;
}

/**
 * Rotates and scales a sample about a centre and resamples it onto a `patchSize` grid: batchgenerators'
 * `augment_spatial` with elastic deformation off. The image is interpolated with cubic B-splines (scipy
 * `map_coordinates(order=3, mode='constant')`, prefiltered), masks per label with linear interpolation
 * (they stay integer). Never mutates `sample`.
 * @param sample - image [C, X, Y, Z] float32 and optional integer masks of the same spatial size.
 * @returns a sample with spatial size `patchSize`.
 */
export function rotateScale(sample: Sample, params: RotateScaleParams): Sample {
  validateSample('rotateScale', sample);
  const { patchSize, angles, scale } = params;
  if (!patchSize.every((d) => Number.isInteger(d) && d > 0)) {
    throw new RangeError(`rotateScale: patchSize must be 3 positive integers, but got [${patchSize.join(', ')}].`);
  }
  if (!(scale > 0) || !angles.every(Number.isFinite)) {
    throw new RangeError(`rotateScale: scale must be > 0 and angles finite, but got scale ${scale}, angles [${angles.join(', ')}].`);
  }
  const [C, X, Y, Z] = sample.shape;
  const dims: [number, number, number] = [X, Y, Z];
  const grid: SamplingGrid = {
    size: patchSize,
    rotation: rotationMatrix(angles[0], angles[1], angles[2]),
    scale,
    center: params.center ?? [X / 2 - 0.5, Y / 2 - 0.5, Z / 2 - 0.5],
  };
  const voxels = X * Y * Z;
  const coeffs = new Float32Array(C * voxels);
  for (let c = 0; c < C; c++) splinePrefilter3d(sample.image, c * voxels, dims, coeffs.subarray(c * voxels, (c + 1) * voxels));
  const outVoxels = patchSize[0] * patchSize[1] * patchSize[2];
  const image = new Float32Array(C * outVoxels);
  interpolateCubic(coeffs, dims, C, grid, params.borderValue ?? 0, image);
  const masks = mapMasks(sample.masks, (data, channels) => {
    const out = new (data.constructor as new (n: number) => LabelArray)(channels * outVoxels);
    interpolateLabels(data, dims, channels, grid, params.maskFill ?? 0, out);
    return out;
  });
  return { image, shape: [C, patchSize[0], patchSize[1], patchSize[2]], ...(masks ? { masks } : {}) };
}
