import type { BBox } from '../preprocess/crop-to-nonzero.js';
import type { Shape3 } from '../preprocess/volume.js';

/**
 * What preprocessing did to one image, stored as the attributes of its case group (nnssl keeps the same
 * facts in a `.pkl` beside each `.b2nd`). Spatial triples are in array-axis order unless named otherwise.
 */
export interface CaseProperties {
  /** Unique image id (`collection__dataset__subject__session__image`). */
  id: string;
  /** Unique subject id (`collection__dataset__subject`), for subject-level train/val splits. */
  subjectId: string;
  /** Image file that was read. */
  sourceImage: string;
  /** Mask files that were read, or null. */
  sourceAnonymizationMask: string | null;
  sourceAnatomyMask: string | null;
  /** Spacing of the file in array-axis order (reversed NIfTI pixdim, as SimpleITK reports it). */
  originalSpacing: Shape3;
  /** Voxel-to-world affine of the file (4×4, NIfTI axes). */
  originalAffine: number[][] | null;
  /** Axis permutation applied first (plans' `transpose_forward`). */
  transposeForward: [number, number, number];
  /** Shape after transposing, before cropping. */
  shapeBeforeCropping: Shape3;
  /** Crop box in transposed voxel indices, half-open. */
  bboxUsedForCropping: BBox;
  /** Shape after cropping, before resampling. */
  shapeAfterCroppingBeforeResampling: Shape3;
  /** Spacing before resampling (transposed). */
  spacingBeforeResampling: Shape3;
  /** Spacing of the stored arrays (the configuration's target spacing, or the original for noresample). */
  spacing: Shape3;
  /** Shape of the stored arrays (without channel). */
  shapeAfterResampling: Shape3;
  /** Z-score statistics per channel, computed on the cropped image. */
  normalization: { mean: number; std: number }[];
  /** Axis resampled separately (anisotropic spacing), or null. */
  separateZAxis: 0 | 1 | 2 | null;
}
