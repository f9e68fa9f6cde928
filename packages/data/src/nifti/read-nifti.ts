import type { NiftiImage } from './nifti-image.js';
import { describeHeader, imageFromRaw, type NiftiInfo, type ReadNiftiOptions } from './image-from-raw.js';
import { readRawNifti } from './read-source.js';

export { describeHeader };
export type { NiftiInfo, NonFinitePolicy, ReadNiftiOptions } from './image-from-raw.js';

/**
 * Reads a `.nii` or `.nii.gz` volume (NIfTI-1 or NIfTI-2, either byte order).
 * @param file path to the file
 * @returns the volume: data x fastest, affine and spacing as nibabel reports them
 * @throws OpenMindError naming the file and the problem for an empty, truncated, corrupt-gzip, wrong-magic
 *   or unsupported-datatype file, a size that disagrees with `dim`, or (by default) NaN/Inf voxels.
 * @example
 * const img = await readNifti('sub-01_T1w.nii.gz', { reorient: true });
 * img.shape; // [X, Y, Z]; img.orientation === 'RAS'
 */
export async function readNifti(file: string, options: ReadNiftiOptions = {}): Promise<NiftiImage> {
  const policy = options.nonFinite ?? 'error';
  const raw = await readRawNifti(file, false, policy !== 'allow');
  return imageFromRaw(raw, file, options);
}

/** Reads only the header of a `.nii`/`.nii.gz` (a gzip stream is decompressed just past the header). */
export async function readNiftiHeader(file: string): Promise<NiftiInfo> {
  const raw = await readRawNifti(file, true);
  return describeHeader(raw.header, file, raw.compressed);
}
