import type { Affine } from './affine.js';
import { multiplyAffine } from './affine.js';
import { NIFTI_DTYPES } from './dtypes.js';
import { withGeometry } from './header-geometry.js';
import type { NiftiImage } from './nifti-image.js';
import { niftiError } from './nifti-error.js';
import { axisOrientations } from './orientation.js';

/**
 * Reorders and flips the three spatial axes so that they point R, A, S (nibabel's
 * `as_closest_canonical`). The world position of every voxel is unchanged: the affine absorbs the
 * permutation and flips. Axes beyond the third (time, channels) keep their place.
 * @returns the image itself when it is already RAS+, else a new image with its own data buffer
 * @throws OpenMindError when the affine gives an axis no direction (a degenerate affine)
 */
export function reorientToRas(image: NiftiImage): NiftiImage {
  const ornt = axisOrientations(image.affine);
  if (ornt.some((o) => o === null)) {
    throw niftiError('(in memory)', `cannot reorient to RAS: the affine gives an axis no direction (orientation ${image.orientation})`);
  }
  const o = ornt as { worldAxis: 0 | 1 | 2; sign: 1 | -1 }[];
  if (o.every((a, i) => a.worldAxis === i && a.sign === 1)) return image;
  const shape = [...image.shape];
  while (shape.length < 3) shape.push(1);
  const newShape = [...shape];
  const newSpacing = [...image.spacing];
  while (newSpacing.length < 3) newSpacing.push(1);
  const oldSpacing = [...newSpacing];
  // t maps new voxel indices to old ones: old[i] = sign·new[w] (+ n_i − 1 when flipped).
  const t: Affine = [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 1],
  ];
  for (let i = 0; i < 3; i++) {
    const { worldAxis: w, sign } = o[i]!;
    newShape[w] = shape[i]!;
    newSpacing[w] = oldSpacing[i]!;
    t[i]![w] = sign;
    t[i]![3] = sign === 1 ? 0 : shape[i]! - 1;
  }
  const affine = multiplyAffine(image.affine, t);
  const data = NIFTI_DTYPES[image.dtype].create(image.data.length);
  const oldStride = [1, shape[0]!, shape[0]! * shape[1]!];
  // For each new axis: the step through the old buffer and where that axis starts.
  const step = [0, 0, 0];
  let base = 0;
  for (let i = 0; i < 3; i++) {
    const { worldAxis: w, sign } = o[i]!;
    step[w] = sign * oldStride[i]!;
    if (sign === -1) base += (shape[i]! - 1) * oldStride[i]!;
  }
  const [nx, ny, nz] = [newShape[0]!, newShape[1]!, newShape[2]!];
  const vol = nx * ny * nz;
  const frames = image.data.length / vol;
  let out = 0;
  for (let f = 0; f < frames; f++) {
    const fb = f * vol + base;
    for (let z = 0; z < nz; z++) {
      for (let y = 0; y < ny; y++) {
        let src = fb + z * step[2]! + y * step[1]!;
        for (let x = 0; x < nx; x++, src += step[0]!) data[out++] = image.data[src]!;
      }
    }
  }
  const finalShape = newShape.slice(0, Math.max(3, image.shape.length));
  const spacing = newSpacing.slice(0, finalShape.length);
  return {
    ...image,
    header: withGeometry(image.header, finalShape, image.dtype, spacing, affine),
    shape: finalShape,
    data,
    affine,
    spacing,
    orientation: 'RAS',
    warnings: [...image.warnings],
  };
}
