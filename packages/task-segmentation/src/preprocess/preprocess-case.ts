import { OpenMindError } from '@openmind-ssl/core';
import { DATA_RESAMPLING, MASK_RESAMPLING, computeNewShape, cropToNonzero, resampleData, resampleMask, transposeVolume } from '@openmind-ssl/data/browser';
import type { CaseGeometry, SegmentationCase, SegmentationPlan, Vec3 } from '../contract.js';
import type { RawSegmentationCase } from '../dataset/load-raw-case.js';
import { sampleClassLocations } from './class-locations.js';
import { zscoreChannel } from './masked-zscore.js';

/** A preprocessed image with its label (null for inference) and where it came from. */
export interface PreprocessedImage {
  /** [C, D, H, W] float32, on the plan's grid. */
  image: Float32Array;
  shape: [number, number, number, number];
  /** [D, H, W]: −1 outside the non-zero region; for an unlabelled case, 0 inside. */
  label: Int8Array;
  geometry: CaseGeometry;
}

/**
 * Preprocesses one raw case as nnU-Net's DefaultPreprocessor with the plan: transpose, crop to the non-zero
 * region of all channels (label −1 outside it), z-score per channel (inside the region when the plan says
 * `useMaskForNorm`), resample to the plan's spacing (image cubic, labels linear per label, each separately
 * along a low-resolution axis when anisotropic, from @openmind-ssl/data) — or keep the spacing with
 * `no-resample`.
 * @throws OpenMindError when the case's channel count differs from the plan's, or the image is all zero.
 */
export function preprocessImage(raw: RawSegmentationCase, plan: SegmentationPlan): PreprocessedImage {
  const [C, ...spatial] = raw.shape;
  if (C !== plan.channelNames.length) {
    throw new OpenMindError(`preprocess "${raw.id}": the case must have the plan's ${plan.channelNames.length} channel(s) (${plan.channelNames.join(', ')}), but it has ${C}.`);
  }
  for (let i = 0; i < raw.image.length; i++) {
    if (!Number.isFinite(raw.image[i])) throw new OpenMindError(`preprocess "${raw.id}": image voxels must be finite, but voxel ${i} is ${raw.image[i]}.`);
  }
  const shape: Vec3 = [spatial[0]!, spatial[1]!, spatial[2]!];
  const perm = plan.transpose;
  const t = transposeVolume(raw.image, C, shape, perm);
  const label = raw.label ?? new Int8Array(shape[0] * shape[1] * shape[2]);
  const tLabel = transposeVolume(label, 1, shape, perm).data;
  const spacing: Vec3 = [raw.spacing[perm[0]]!, raw.spacing[perm[1]]!, raw.spacing[perm[2]]!];
  const crop = cropToNonzero(t.data, C, t.shape, [tLabel]);
  if (!crop) throw new OpenMindError(`preprocess "${raw.id}": the image must have at least one non-zero voxel, but all ${t.data.length} are 0.`);
  const cropLabel = crop.masks[0]!;
  const n = crop.shape[0] * crop.shape[1] * crop.shape[2];
  for (let c = 0; c < C; c++) zscoreChannel(crop.data.subarray(c * n, (c + 1) * n), plan.useMaskForNorm[c] ? cropLabel : null);
  const target = plan.spacing ?? spacing;
  const newShape = plan.spacing ? computeNewShape(crop.shape, spacing, target) : crop.shape;
  const image = resampleData(crop.data, C, crop.shape, newShape, spacing, target, DATA_RESAMPLING);
  const outLabel = resampleMask(cropLabel, crop.shape, newShape, spacing, target, MASK_RESAMPLING);
  return {
    image,
    shape: [C, ...newShape],
    label: outLabel,
    geometry: {
      fileShape: [...raw.fileShape],
      transpose: [...perm],
      shapeBeforeCrop: [...t.shape],
      cropBox: crop.bbox,
      spacing,
      resampledShape: [...newShape],
      affine: raw.affine.map((row) => [...row]),
    },
  };
}

/**
 * A labelled case preprocessed for training: {@link preprocessImage} plus nnU-Net's sampled foreground
 * locations per class (and annotated locations with an ignore label).
 */
export function preprocessSegmentationCase(raw: RawSegmentationCase, plan: SegmentationPlan): SegmentationCase {
  if (!raw.label) throw new OpenMindError(`preprocess "${raw.id}": a training case must have a label map, but it has none.`);
  const p = preprocessImage(raw, plan);
  const classes = Object.entries(plan.labels).filter(([name, v]) => name !== 'ignore' && v !== 0).map(([, v]) => v);
  const { classLocations, annotatedLocations } = sampleClassLocations(p.label, classes, plan.ignoreLabel);
  return {
    id: raw.id,
    image: p.image,
    shape: p.shape,
    label: Int16Array.from(p.label),
    classLocations,
    ...(annotatedLocations ? { annotatedLocations } : {}),
    geometry: p.geometry,
  };
}
