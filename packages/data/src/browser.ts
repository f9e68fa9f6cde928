// The browser-safe part of @openmind-ssl/data (`@openmind-ssl/data/browser`): decoding NIfTI volumes held
// in memory and the array-level preprocessing steps. Nothing here imports a Node module (no fs, zlib,
// worker_threads), so bundlers need no shims; file IO, the store and the loader stay in the main entry.
export type { Affine, AffineSource } from './nifti/affine.js';
export { affineZooms, bestAffine, identityAffine, invertAffine, multiplyAffine } from './nifti/affine.js';
export type { CreateNiftiImageOptions } from './nifti/create-nifti-image.js';
export { createNiftiImage } from './nifti/create-nifti-image.js';
export type { NiftiDType, NiftiTypedArray } from './nifti/dtypes.js';
export { NIFTI_DTYPES, dtypeFromCode } from './nifti/dtypes.js';
export { encodeNiftiHeader } from './nifti/encode-header.js';
export type { NiftiHeader } from './nifti/header.js';
export { emptyNiftiHeader, headerShape } from './nifti/header.js';
export type { NiftiImage } from './nifti/nifti-image.js';
export { rowMajorView } from './nifti/nifti-image.js';
export { axisOrientations, orientationCode } from './nifti/orientation.js';
export { parseNiftiHeader } from './nifti/parse-header.js';
export type { NiftiInfo, NonFinitePolicy, RawVolume, ReadNiftiOptions } from './nifti/image-from-raw.js';
export { describeHeader, imageFromRaw } from './nifti/image-from-raw.js';
export { decodeNifti, decodeNiftiAsync, isGzip } from './nifti/decode-nifti.js';
export { reorientToRas } from './nifti/reorient.js';
export type { ImageVolume, MaskVolume, Shape3 } from './preprocess/volume.js';
export { arrayGeometry } from './preprocess/array-geometry.js';
export type { ResampleOptions } from './preprocess/resample-to-shape.js';
export { ANISO_THRESHOLD, DATA_RESAMPLING, MASK_RESAMPLING, resampleData, resampleMask, separateZAxis } from './preprocess/resample-to-shape.js';
export { computeNewShape, roundHalfEven } from './preprocess/compute-new-shape.js';
export type { BBox, CropResult } from './preprocess/crop-to-nonzero.js';
export { OUTSIDE_NONZERO_LABEL, boundingBox, cropToNonzero } from './preprocess/crop-to-nonzero.js';
export type { AxisOrder } from './preprocess/transpose-volume.js';
export { invertAxisOrder, transposeVolume } from './preprocess/transpose-volume.js';
export type { ZScoreStats } from './preprocess/zscore.js';
export { zscoreInPlace } from './preprocess/zscore.js';
export { encodeNifti, type WriteNiftiOptions } from './nifti/encode-nifti.js';
