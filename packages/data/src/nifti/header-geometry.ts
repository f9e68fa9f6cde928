import type { Affine } from './affine.js';
import { affineToQform } from './affine.js';
import type { NiftiDType } from './dtypes.js';
import { NIFTI_DTYPES } from './dtypes.js';
import type { NiftiHeader } from './header.js';

/**
 * A copy of `header` whose shape, datatype, spacing, sform and qform describe the given volume. The
 * sform holds the affine exactly (to the header's precision); the qform holds its nearest rotation and
 * zooms. Codes already set are kept; a volume without codes gets sform_code 2 (aligned) and qform_code
 * 0, which is what nibabel writes for a new image.
 */
export function withGeometry(
  header: NiftiHeader,
  shape: readonly number[],
  dtype: NiftiDType,
  spacing: readonly number[],
  affine: Affine,
): NiftiHeader {
  const h: NiftiHeader = { ...header, dim: [...header.dim], pixdim: [...header.pixdim] };
  h.dim[0] = shape.length;
  for (let i = 1; i < 8; i++) h.dim[i] = i <= shape.length ? shape[i - 1]! : 1;
  h.datatype = NIFTI_DTYPES[dtype].code;
  h.bitpix = NIFTI_DTYPES[dtype].bytes * 8;
  const q = affineToQform(affine);
  h.pixdim[0] = q.qfac;
  for (let i = 1; i < 8; i++) h.pixdim[i] = i <= shape.length ? (i <= 3 ? q.zooms[i - 1]! : spacing[i - 1] ?? 1) : 1;
  h.quaternB = q.quaternB;
  h.quaternC = q.quaternC;
  h.quaternD = q.quaternD;
  [h.qoffsetX, h.qoffsetY, h.qoffsetZ] = q.offset;
  h.srowX = [...affine[0]!];
  h.srowY = [...affine[1]!];
  h.srowZ = [...affine[2]!];
  if (h.sformCode <= 0) h.sformCode = 2;
  if (h.qformCode < 0) h.qformCode = 0;
  return h;
}
