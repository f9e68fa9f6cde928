import { NIFTI_DTYPES, dtypeFromCode } from './dtypes.js';
import type { NiftiHeader } from './header.js';
import { NIFTI1_MIN_VOX_OFFSET, NIFTI2_MIN_VOX_OFFSET, headerShape } from './header.js';
import { niftiError } from './nifti-error.js';

// Where the voxels of a file lie and how many bytes they take: shared by the file reader (Node) and
// the in-memory decoder (browsers).

/** The offset of the voxels: vox_offset, or the header end when a writer left it 0. */
export function dataOffset(h: NiftiHeader): number {
  if (h.voxOffset === 0) return h.version === 1 ? NIFTI1_MIN_VOX_OFFSET : NIFTI2_MIN_VOX_OFFSET;
  return Math.trunc(h.voxOffset);
}

/** Bytes of voxel data the header promises. */
export function dataByteLength(h: NiftiHeader): number {
  const dtype = dtypeFromCode(h.datatype)!;
  return headerShape(h).reduce((a, b) => a * b, 1) * NIFTI_DTYPES[dtype].bytes;
}

/** The error for a file (or decompressed stream) that ends before the voxels the header declares. */
export function sizeProblem(h: NiftiHeader, have: number, file: string, compressed: boolean) {
  const need = dataByteLength(h);
  const dtype = dtypeFromCode(h.datatype)!;
  return niftiError(
    file,
    `the file is truncated: dim [${headerShape(h).join(', ')}] of ${dtype} needs ${need} bytes of voxel data after offset ${dataOffset(h)}, but the ${compressed ? 'decompressed stream' : 'file'} has only ${Math.max(0, have)}`,
  );
}
