import type { Affine } from './affine.js';
import { affineZooms, bestAffine, identityAffine } from './affine.js';
import type { NiftiTypedArray } from './dtypes.js';
import { dtypeOfArray } from './dtypes.js';
import type { NiftiHeader } from './header.js';
import { emptyNiftiHeader } from './header.js';
import { withGeometry } from './header-geometry.js';
import type { NiftiImage } from './nifti-image.js';
import { orientationCode } from './orientation.js';

/** Options of {@link createNiftiImage}. */
export interface CreateNiftiImageOptions {
  /** Voxel-to-RAS affine (row-major 4×4). Default: diag(spacing) with the origin at voxel 0. */
  affine?: Affine;
  /** Spacing per axis; default: column norms of the affine for the spatial axes, 1 beyond. */
  spacing?: readonly number[];
  /** Header to start from (descrip, intent, units, xform codes...); geometry fields are overwritten. */
  header?: NiftiHeader;
}

/**
 * Builds an in-memory NIfTI image from voxels in x-fastest order.
 * @param data voxels, length = product of `shape`
 * @param shape [X, Y, Z(, T, ...)], 1 to 7 axes
 * @throws RangeError when the data length does not match the shape or the shape has more than 7 axes
 * @example
 * const img = createNiftiImage(new Float32Array(16 ** 3), [16, 16, 16], { spacing: [1, 1, 2] });
 */
export function createNiftiImage(data: NiftiTypedArray, shape: readonly number[], options: CreateNiftiImageOptions = {}): NiftiImage {
  if (shape.length < 1 || shape.length > 7 || shape.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new RangeError(`createNiftiImage: shape must have 1 to 7 positive integer sizes, but got [${shape.join(', ')}].`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) {
    throw new RangeError(`createNiftiImage: data must have ${count} values for shape [${shape.join(', ')}], but got ${data.length}.`);
  }
  let affine = options.affine?.map((row) => [...row]);
  if (!affine) {
    affine = identityAffine();
    for (let i = 0; i < 3; i++) affine[i]![i] = options.spacing?.[i] ?? 1;
  }
  if (affine.length !== 4 || affine.some((r) => r.length !== 4 || r.some((v) => !Number.isFinite(v)))) {
    throw new RangeError('createNiftiImage: affine must be a 4×4 array of finite numbers.');
  }
  const zooms = affineZooms(affine);
  const spacing = shape.map((_, i) => options.spacing?.[i] ?? (i < 3 ? zooms[i]! : 1));
  const dtype = dtypeOfArray(data);
  const header = withGeometry(options.header ?? emptyNiftiHeader(1), shape, dtype, spacing, affine);
  const source = bestAffine(header, shape, spacing).source;
  return { header, shape: [...shape], dtype, data, affine, affineSource: source, spacing, orientation: orientationCode(affine), warnings: [] };
}
