import type { Affine, AffineSource } from './affine.js';
import type { NiftiDType, NiftiTypedArray } from './dtypes.js';
import type { NiftiHeader } from './header.js';

/**
 * A NIfTI volume in memory.
 *
 * Layout: `data` is in file order, x fastest (column-major in the NIfTI axes). Seen row-major, the same
 * buffer is an array of shape `[..., Z, Y, X]` (the reverse of `shape`), which is how SimpleITK and the
 * nnssl/nnU-Net readers hand volumes to the network; see {@link rowMajorView}.
 */
export interface NiftiImage {
  /** The header, describing `data` as held: after scaling its datatype is float32 and scl_slope 1, scl_inter 0. */
  header: NiftiHeader;
  /** Size of each axis in NIfTI order [X, Y, Z, T, ...] (nibabel's `img.shape`). */
  shape: number[];
  /** Element type of `data` (float32 after scl_slope/scl_inter were applied). */
  dtype: NiftiDType;
  /** Voxel values, x fastest; length is the product of `shape`. */
  data: NiftiTypedArray;
  /** Voxel-to-world (RAS+ mm) affine, row-major 4×4, chosen with nibabel's precedence (sform, qform, base). */
  affine: Affine;
  /** Which header fields the affine came from. */
  affineSource: AffineSource;
  /** Grid spacing of each axis (pixdim[1..ndim]): mm for space, the time unit for axis 4. */
  spacing: number[];
  /** Orientation code of the affine, e.g. 'RAS' or 'LPS'. */
  orientation: string;
  /** Things that were odd but readable (fixed pixdim, non-finite voxels with nonFinite: 'warn', ...). */
  warnings: string[];
}

/**
 * Shape and spacing in row-major order ([..., Z, Y, X]), for code that indexes `data` C-style (the
 * nnssl `SimpleITKIO` convention). The buffer itself is shared, not copied.
 */
export function rowMajorView(image: NiftiImage): { shape: number[]; spacing: number[]; data: NiftiTypedArray } {
  return { shape: [...image.shape].reverse(), spacing: [...image.spacing].reverse(), data: image.data };
}
