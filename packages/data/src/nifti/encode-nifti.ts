import { encodeVoxels } from './decode-voxels.js';
import { NIFTI_DTYPES } from './dtypes.js';
import { encodeNiftiHeader } from './encode-header.js';
import { withGeometry } from './header-geometry.js';
import type { NiftiImage } from './nifti-image.js';

/** Options of {@link writeNifti}. */
export interface WriteNiftiOptions {
  /** Compress with gzip. Default: when the path ends in `.gz`. */
  gzip?: boolean;
  /** gzip level 1-9. Default 6. */
  compressionLevel?: number;
  /** NIfTI version. Default: the header's, or 2 when an axis exceeds 32767 (NIfTI-1's int16 limit). */
  version?: 1 | 2;
  /** Byte order. Default: little-endian. */
  littleEndian?: boolean;
}

const NIFTI1_MAX_DIM = 32767;

/**
 * Encodes an image as the bytes of a `.nii` file (uncompressed).
 * @throws RangeError when data length, shape or affine are inconsistent
 */
export function encodeNifti(image: NiftiImage, options: Omit<WriteNiftiOptions, 'gzip' | 'compressionLevel'> = {}): Uint8Array[] {
  validate(image);
  const needsV2 = image.shape.some((n) => n > NIFTI1_MAX_DIM);
  const version = options.version ?? (needsV2 ? 2 : image.header.version);
  if (version === 1 && needsV2) {
    throw new RangeError(`writeNifti: NIfTI-1 axes must be at most ${NIFTI1_MAX_DIM}, but shape is [${image.shape.join(', ')}]; write NIfTI-2 (version: 2).`);
  }
  const littleEndian = options.littleEndian ?? true;
  const header = { ...withGeometry(image.header, image.shape, image.dtype, image.spacing, image.affine), version, littleEndian };
  header.magic = version === 1 ? 'n+1' : 'n+2';
  return [encodeNiftiHeader(header), encodeVoxels(image.data, littleEndian)];
}

function validate(image: NiftiImage): void {
  const count = image.shape.reduce((a, b) => a * b, 1);
  if (image.shape.length < 1 || image.shape.length > 7) {
    throw new RangeError(`writeNifti: shape must have 1 to 7 axes, but got [${image.shape.join(', ')}].`);
  }
  if (image.data.length !== count) {
    throw new RangeError(`writeNifti: data must have ${count} values for shape [${image.shape.join(', ')}], but got ${image.data.length}.`);
  }
  if (image.data.BYTES_PER_ELEMENT !== NIFTI_DTYPES[image.dtype].bytes) {
    throw new RangeError(`writeNifti: dtype "${image.dtype}" does not match the data array (${image.data.constructor.name}).`);
  }
  if (image.affine.length !== 4 || image.affine.some((r) => r.length !== 4 || r.some((v) => !Number.isFinite(v)))) {
    throw new RangeError('writeNifti: affine must be a 4×4 array of finite numbers.');
  }
}
