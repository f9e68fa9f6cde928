/**
 * The fields of a NIfTI-1 or NIfTI-2 header, with NIfTI-2 widths (NIfTI-1 values are widened on read).
 * Field names follow the standard (camelCased) so they can be looked up in nifti1.h / nifti2.h.
 */
export interface NiftiHeader {
  /** 1 for NIfTI-1 (348-byte header), 2 for NIfTI-2 (540-byte header). */
  version: 1 | 2;
  /** Byte order of the header and the voxels in the file. */
  littleEndian: boolean;
  /** `dim[0..7]`: dim[0] is the number of dimensions, dim[1..] their sizes (x fastest). */
  dim: number[];
  /** `pixdim[0..7]`: pixdim[0] is qfac, pixdim[1..] the grid spacings (mm, then s for time). */
  pixdim: number[];
  /** NIfTI `datatype` code (see dtypes.ts). */
  datatype: number;
  /** Bits per voxel. */
  bitpix: number;
  /** Byte offset of the voxels in a `.nii` file. */
  voxOffset: number;
  /** Data scaling: value = raw * sclSlope + sclInter when sclSlope is finite and non-zero. */
  sclSlope: number;
  sclInter: number;
  /** 0 unknown, 1 scanner, 2 aligned, 3 talairach, 4 mni, 5 template. */
  qformCode: number;
  sformCode: number;
  quaternB: number;
  quaternC: number;
  quaternD: number;
  qoffsetX: number;
  qoffsetY: number;
  qoffsetZ: number;
  /** Rows of the sform affine (each 4 numbers). */
  srowX: number[];
  srowY: number[];
  srowZ: number[];
  intentP1: number;
  intentP2: number;
  intentP3: number;
  intentCode: number;
  intentName: string;
  sliceStart: number;
  sliceEnd: number;
  sliceCode: number;
  sliceDuration: number;
  dimInfo: number;
  /** Units of pixdim: bits 0-2 space (2 = mm), bits 3-5 time. */
  xyztUnits: number;
  calMax: number;
  calMin: number;
  toffset: number;
  descrip: string;
  auxFile: string;
  /** The magic string without its NUL: 'n+1', 'ni1', 'n+2' or 'ni2'. */
  magic: string;
}

/** Bytes in a NIfTI-1 header. */
export const NIFTI1_HEADER_BYTES = 348;
/** Bytes in a NIfTI-2 header. */
export const NIFTI2_HEADER_BYTES = 540;
/** Header plus the 4-byte extension flag; the smallest legal vox_offset of a `.nii`. */
export const NIFTI1_MIN_VOX_OFFSET = 352;
export const NIFTI2_MIN_VOX_OFFSET = 544;

/** A header with every field at its neutral value; `createNiftiHeader` fills shape, type and geometry. */
export function emptyNiftiHeader(version: 1 | 2 = 1): NiftiHeader {
  return {
    version,
    littleEndian: true,
    dim: [0, 1, 1, 1, 1, 1, 1, 1],
    pixdim: [1, 1, 1, 1, 1, 1, 1, 1],
    datatype: 0,
    bitpix: 0,
    voxOffset: version === 1 ? NIFTI1_MIN_VOX_OFFSET : NIFTI2_MIN_VOX_OFFSET,
    sclSlope: 0,
    sclInter: 0,
    qformCode: 0,
    sformCode: 0,
    quaternB: 0,
    quaternC: 0,
    quaternD: 0,
    qoffsetX: 0,
    qoffsetY: 0,
    qoffsetZ: 0,
    srowX: [1, 0, 0, 0],
    srowY: [0, 1, 0, 0],
    srowZ: [0, 0, 1, 0],
    intentP1: 0,
    intentP2: 0,
    intentP3: 0,
    intentCode: 0,
    intentName: '',
    sliceStart: 0,
    sliceEnd: 0,
    sliceCode: 0,
    sliceDuration: 0,
    dimInfo: 0,
    xyztUnits: 2 | 8,
    calMax: 0,
    calMin: 0,
    toffset: 0,
    descrip: '',
    auxFile: '',
    magic: version === 1 ? 'n+1' : 'n+2',
  };
}

/** The image shape `dim[1..dim[0]]`. */
export function headerShape(header: NiftiHeader): number[] {
  return header.dim.slice(1, 1 + (header.dim[0] ?? 0));
}
