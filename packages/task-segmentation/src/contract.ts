import type { AdaptationPlan } from '@openmind-ssl/core';

// The shapes that pass between this package's parts: the data side (plan, preprocessing, sampling),
// the training side (network, loss, schedules, trainer) and the inference side (sliding window, back to
// the original geometry, evaluation). Each part owns its code; these types are what they agree on.

export type Vec3 = [number, number, number];

/** How the fine-tuning data is resampled (finetune-spec §1.2). */
export type SpacingMode = 'like-pretrained' | 'dataset-median' | 'fixed' | 'no-resample';

/**
 * Everything that fixes how a dataset is preprocessed and which network runs on it. Written to the run
 * folder (`plan.json`) and into every fine-tuned checkpoint, so prediction preprocesses new scans
 * exactly as training did.
 */
export interface SegmentationPlan {
  /** The pre-trained checkpoint's adaptation plan (a default one for --from-scratch). */
  adaptationPlan: AdaptationPlan;
  /** Network input patch, in the preprocessed (transposed) axis order. */
  patchSize: Vec3;
  spacingMode: SpacingMode;
  /** Target spacing in mm in the transposed axis order; null when not resampled. */
  spacing: Vec3 | null;
  /** Axis permutation applied after reading (nnU-Net's transpose_forward). */
  transpose: Vec3;
  /** dataset.json `channel_names` in channel order, e.g. ['FLAIR', 'T1']. */
  channelNames: string[];
  /** Normalisation per channel: 'zscore' (the only scheme the OpenMind runs use). */
  normalization: 'zscore'[];
  /** z-score inside the non-zero mask (true when cropping to non-zero shrank the image, as nnU-Net). */
  useMaskForNorm: boolean[];
  /** dataset.json `labels`: name to value (background 0; the ignore label, if any, last). */
  labels: Record<string, number>;
  /** Network outputs: foreground classes + background, without the ignore label. */
  numClasses: number;
  /** The label value that is neither trained nor scored, if the dataset declares `ignore`. */
  ignoreLabel: number | null;
  /** Dice over the whole batch (nnU-Net: true for 3d_fullres with small batches), else per sample. */
  batchDice: boolean;
  batchSize: number;
  /** dataset.json `file_ending`, e.g. '.nii.gz'. */
  fileEnding: string;
}

/**
 * Where a preprocessed case came from, so a prediction goes back onto the input's grid. Every shape and
 * spacing here is in the transposed axis order except `fileShape`.
 */
export interface CaseGeometry {
  /** Spatial shape as stored in the file (NIfTI i, j, k). Reading reverses it (array order [k, j, i], as nnU-Net's SimpleITK reader); `transpose` applies to that order. */
  fileShape: Vec3;
  transpose: Vec3;
  /** Shape after the transpose, before cropping. */
  shapeBeforeCrop: Vec3;
  /** Non-zero bounding box in that grid, [start, end) per axis. */
  cropBox: [[number, number], [number, number], [number, number]];
  /** Spacing in mm after the transpose, before resampling. */
  spacing: Vec3;
  /** Shape after resampling: the grid the network sees. */
  resampledShape: Vec3;
  /** The input file's voxel-to-world affine (4×4, row-major), for writing a prediction on its grid. Added by the data side; always set by it. */
  affine?: number[][];
}

/** A preprocessed labelled case, ready for patch sampling. */
export interface SegmentationCase {
  id: string;
  /** [C, D, H, W] float32, normalised. */
  image: Float32Array;
  shape: [number, number, number, number];
  /** [D, H, W] label map on the same grid; -1 outside the non-zero mask (nnU-Net), the ignore label kept. */
  label: Int16Array;
  /** Flat voxel indices of each foreground class (a sample of them, as nnU-Net stores), for oversampling. */
  classLocations: Map<number, Uint32Array>;
  /** With an ignore label: a sample of the labelled voxels (≥ 0, not ignored), where non-forced patches are centred (nnU-Net). Added by the data side. */
  annotatedLocations?: Uint32Array;
  geometry: CaseGeometry;
}

/** One training or validation batch, as host arrays (images and labels of the same patch). */
export interface SegmentationBatch {
  /** [B, C, D, H, W] */
  image: Float32Array;
  /** [B, 1, D, H, W] label values (the ignore label kept; -1 mapped to background as nnU-Net does). */
  label: Int16Array;
  shape: [number, number, number, number, number];
}
