import { OpenMindError } from '@openmind-ssl/core';
import type { CaseProperties } from '../store/case-properties.js';
import type { PreprocessedCase } from '../store/case-writer.js';
import { DEFAULT_ANATOMY_SAMPLES, hashString, sampleAnatomyLocations } from './anatomy-locations.js';
import { computeNewShape } from './compute-new-shape.js';
import { cropToNonzero } from './crop-to-nonzero.js';
import { DATA_RESAMPLING, MASK_RESAMPLING, resampleData, resampleMask, separateZAxis, type ResampleOptions } from './resample-to-shape.js';
import { transposeVolume, type AxisOrder } from './transpose-volume.js';
import { formatShape, type ImageVolume, type MaskVolume, type Shape3 } from './volume.js';
import { zscoreInPlace } from './zscore.js';

/** How one case is preprocessed (taken from the plans and the chosen configuration). */
export interface CaseSettings {
  /** Axis permutation applied first (plans' `transposeForward`). */
  transposeForward: AxisOrder;
  /** Target spacing in transposed axis order, or null to keep the spacing (`noresample`). */
  targetSpacing: Shape3 | null;
  /** Resampling of the image; nnssl: cubic, nearest out of plane. */
  dataResampling?: ResampleOptions;
  /** Resampling of the masks; nnssl: linear per label, nearest out of plane. */
  maskResampling?: ResampleOptions;
  /** Anatomy voxels to keep for anatomy-centred crops. */
  anatomySamples?: number;
}

/** One image with its masks, as read from disk, plus its identity. */
export interface CaseInput {
  id: string;
  subjectId: string;
  image: ImageVolume;
  /** Anonymization (deface) mask on the image grid, or null. */
  anonymizationMask: MaskVolume | null;
  /** Anatomy mask on the image grid, or null. */
  anatomyMask: MaskVolume | null;
  /** Source paths, for the record. */
  sources?: { image: string; anonymizationMask: string | null; anatomyMask: string | null };
}

/**
 * Preprocesses one image and its masks as nnssl's DefaultPreprocessor: transpose, crop to the
 * (hole-filled) non-zero region, z-score, resample (image cubic, masks linear per label, separately
 * out of plane when anisotropic). Masks stay on the image's voxel grid at every step, and each mask keeps
 * its own role: the anonymization mask is stored as `anon` and the anatomy mask as `anat` (nnssl swaps
 * them when both exist; that defect is not reproduced).
 *
 * @throws OpenMindError for non-finite voxels, masks whose shape differs from the image, or an image
 *   without any non-zero voxel.
 */
export function preprocessCase(input: CaseInput, settings: CaseSettings): PreprocessedCase {
  const { image, id } = input;
  const [C, ...spatial] = image.shape;
  const shape: Shape3 = [spatial[0]!, spatial[1]!, spatial[2]!];
  for (let i = 0; i < image.data.length; i++) {
    if (!Number.isFinite(image.data[i])) throw new OpenMindError(`preprocess "${id}": image voxels must be finite, but voxel ${i} is ${image.data[i]}.`);
  }
  const masks: { role: 'anon' | 'anat'; mask: MaskVolume }[] = [];
  if (input.anonymizationMask) masks.push({ role: 'anon', mask: input.anonymizationMask });
  if (input.anatomyMask) masks.push({ role: 'anat', mask: input.anatomyMask });
  for (const { role, mask } of masks) {
    if (mask.shape.some((s, i) => s !== shape[i])) {
      throw new OpenMindError(`preprocess "${id}": the ${role === 'anon' ? 'anonymization' : 'anatomy'} mask shape must equal the image shape ${formatShape(shape)}, but got ${formatShape(mask.shape)}.`);
    }
  }

  const perm = settings.transposeForward;
  const t = transposeVolume(image.data, C, shape, perm);
  const tMasks = masks.map((m) => transposeVolume(m.mask.data, 1, shape, perm).data);
  const spacing: Shape3 = [image.spacing[perm[0]]!, image.spacing[perm[1]]!, image.spacing[perm[2]]!];

  const crop = cropToNonzero(t.data, C, t.shape, tMasks);
  if (!crop) throw new OpenMindError(`preprocess "${id}": the image must have at least one non-zero voxel, but all ${t.data.length} are 0.`);

  const target = settings.targetSpacing ?? spacing;
  const newShape = settings.targetSpacing ? computeNewShape(crop.shape, spacing, target) : crop.shape;
  const stats = zscoreInPlace(crop.data, C);
  const dataOpts = settings.dataResampling ?? DATA_RESAMPLING;
  const maskOpts = settings.maskResampling ?? MASK_RESAMPLING;
  const data = resampleData(crop.data, C, crop.shape, newShape, spacing, target, dataOpts);
  const outMasks = crop.masks.map((m) => resampleMask(m, crop.shape, newShape, spacing, target, maskOpts));
  const anon = masks.findIndex((m) => m.role === 'anon');
  const anat = masks.findIndex((m) => m.role === 'anat');
  const anatMask = anat >= 0 ? outMasks[anat]! : null;

  const properties: CaseProperties = {
    id,
    subjectId: input.subjectId,
    sourceImage: input.sources?.image ?? '',
    sourceAnonymizationMask: input.sources?.anonymizationMask ?? null,
    sourceAnatomyMask: input.sources?.anatomyMask ?? null,
    originalSpacing: [...image.spacing],
    originalAffine: image.affine ?? null,
    transposeForward: [...perm],
    shapeBeforeCropping: t.shape,
    bboxUsedForCropping: crop.bbox,
    shapeAfterCroppingBeforeResampling: crop.shape,
    spacingBeforeResampling: spacing,
    spacing: [...target],
    shapeAfterResampling: newShape,
    normalization: stats,
    separateZAxis: settings.targetSpacing ? separateZAxis(spacing, target, dataOpts) : null,
  };
  return {
    data,
    shape: [C, ...newShape],
    anon: anon >= 0 ? outMasks[anon]! : null,
    anat: anatMask,
    anatomyLocations: anatMask ? sampleAnatomyLocations(anatMask, newShape, settings.anatomySamples ?? DEFAULT_ANATOMY_SAMPLES, hashString(id)) : null,
    properties,
  };
}
