import { OpenMindError, type AdaptationPlan } from '@openmind-ssl/core';
import { computeNewShape } from '@openmind-ssl/data';
import type { SegmentationPlan, SpacingMode, Vec3 } from '../contract.js';
import type { SegmentationDataset } from '../dataset/open-dataset.js';
import { extractSegmentationFingerprint, type SegmentationFingerprint } from './fingerprint.js';
import { fullresTargetSpacing, percentile, transposeForward } from './target-spacing.js';

/** The spacing modes, as the CLI names them. */
export const SPACING_MODES: readonly SpacingMode[] = ['like-pretrained', 'dataset-median', 'fixed', 'no-resample'];

/** Spacing used by `like-pretrained` when the checkpoint's pretrain plan names none (OpenMind pre-trains at 1 mm). */
export const OPENMIND_SPACING: Vec3 = [1, 1, 1];

/** nnU-Net's smallest batch (the planner never goes below 2, and preprocess_like_nnssl keeps the base plan's). */
export const DEFAULT_BATCH_SIZE = 2;

/** nnU-Net creates 3d_lowres, and then gives 3d_fullres batch Dice, when a patch covers less than this share of the median image. */
export const LOWRES_CREATION_THRESHOLD = 0.25;

/** nnU-Net switches on masked z-score when cropping to non-zero leaves less than this share of the voxels (median). */
export const MASK_FOR_NORM_THRESHOLD = 0.75;

/** Options of {@link planSegmentation}. */
export interface PlanSegmentationOptions {
  /** Default 'like-pretrained'. */
  spacingMode?: SpacingMode;
  /** For 'fixed': the spacing in mm, in the preprocessed (transposed) axis order, as nnU-Net's `-os`. */
  fixedSpacing?: Vec3;
  /** Network patch; default the adaptation plan's `recommended_downstream_patchsize` (160³). */
  patchSize?: Vec3;
  /** Default 2. */
  batchSize?: number;
  /** Default: nnU-Net's rule (true when a 3d_lowres configuration would exist). */
  batchDice?: boolean;
}

const isVec3 = (v: unknown): v is Vec3 => Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0);

/**
 * The spacing a checkpoint was pre-trained at: the spacing of its pretrain plan's (only) configuration;
 * null when that configuration did not resample; 1 mm when the plan names no spacing (OpenMind checkpoints).
 */
export function pretrainSpacing(adaptationPlan: AdaptationPlan): Vec3 | null {
  const configs = (adaptationPlan.pretrain_plan as { configurations?: Record<string, { spacing?: unknown }> }).configurations;
  const first = configs ? Object.values(configs)[0] : undefined;
  if (!first || !('spacing' in first)) return [...OPENMIND_SPACING];
  if (first.spacing === null || (Array.isArray(first.spacing) && first.spacing.every((s) => s === null))) return null;
  if (!isVec3(first.spacing)) {
    throw new OpenMindError(`adaptation plan: pretrain_plan.configurations.*.spacing must be three positive numbers or null, but got ${JSON.stringify(first.spacing)}.`);
  }
  return [...first.spacing];
}

/**
 * The fine-tuning plan, as nnU-Net's `preprocess_like_nnssl` builds it (finetune-spec §1.2): transpose and
 * dataset-median spacing from the dataset fingerprint (nnU-Net's base plan); spacing by `spacingMode`
 * (`like-pretrained`: the checkpoint's pre-training spacing; `dataset-median`: nnU-Net's 3d_fullres spacing;
 * `fixed`; `no-resample`); z-score for every channel, masked when cropping to non-zero removed more than a
 * quarter of the median image; the checkpoint's recommended downstream patch; batch size 2; batch Dice when
 * nnU-Net would have planned a 3d_lowres configuration (the patch covers < 25 % of the median resampled
 * image); labels and ignore label from dataset.json.
 * @throws OpenMindError for a bad option or adaptation plan field.
 */
export function planSegmentation(
  adaptationPlan: AdaptationPlan,
  dataset: SegmentationDataset,
  fingerprint: SegmentationFingerprint,
  options: PlanSegmentationOptions = {},
): SegmentationPlan {
  const mode = options.spacingMode ?? 'like-pretrained';
  if (!SPACING_MODES.includes(mode)) throw new OpenMindError(`planSegmentation: spacingMode must be one of ${SPACING_MODES.join(', ')}, but got "${mode}".`);
  const patch = options.patchSize ?? adaptationPlan.recommended_downstream_patchsize;
  if (!isVec3(patch) || !patch.every(Number.isInteger)) {
    throw new OpenMindError(`planSegmentation: the patch size must be three positive integers, but got ${JSON.stringify(patch)}.`);
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`planSegmentation: batchSize must be a positive integer, but got ${batchSize}.`);
  if (fingerprint.spacings.length === 0) throw new OpenMindError(`planSegmentation: the fingerprint of "${dataset.dir}" must hold at least one case, but it is empty.`);

  const median = fullresTargetSpacing(fingerprint);
  const transpose = transposeForward(median);
  const medianT: Vec3 = [median[transpose[0]]!, median[transpose[1]]!, median[transpose[2]]!];
  let spacing: Vec3 | null;
  if (mode === 'like-pretrained') spacing = pretrainSpacing(adaptationPlan);
  else if (mode === 'dataset-median') spacing = medianT;
  else if (mode === 'no-resample') spacing = null;
  else {
    if (!isVec3(options.fixedSpacing)) {
      throw new OpenMindError(`planSegmentation: spacing mode "fixed" needs fixedSpacing, three positive numbers in mm, but got ${JSON.stringify(options.fixedSpacing)}.`);
    }
    spacing = [...options.fixedSpacing];
  }

  const C = dataset.json.channelNames.length;
  const useMask = fingerprint.medianRelativeSizeAfterCropping < MASK_FOR_NORM_THRESHOLD;
  const batchDice = options.batchDice ?? batchDiceRule(fingerprint, transpose, spacing, patch);
  return {
    adaptationPlan,
    patchSize: [...patch],
    spacingMode: mode,
    spacing,
    transpose,
    channelNames: [...dataset.json.channelNames],
    normalization: Array.from({ length: C }, () => 'zscore' as const),
    useMaskForNorm: Array.from({ length: C }, () => useMask),
    labels: { ...dataset.json.labels },
    numClasses: dataset.json.numClasses,
    ignoreLabel: dataset.json.ignoreLabel,
    batchDice,
    batchSize,
    fileEnding: dataset.json.fileEnding,
  };
}

/**
 * nnU-Net's batch Dice: true for 3d_fullres exactly when a 3d_lowres configuration exists, i.e. when the
 * patch holds less than {@link LOWRES_CREATION_THRESHOLD} of the median image shape at the target spacing.
 * (nnU-Net compares its own planned patch; here the plan's patch is used.)
 */
function batchDiceRule(fp: SegmentationFingerprint, transpose: Vec3, spacing: Vec3 | null, patch: Vec3): boolean {
  const shapes = fp.shapesAfterCrop.map((s, i) => {
    const sp = fp.spacings[i]!;
    const st: Vec3 = [sp[transpose[0]]!, sp[transpose[1]]!, sp[transpose[2]]!];
    const t: Vec3 = [s[transpose[0]]!, s[transpose[1]]!, s[transpose[2]]!];
    return spacing ? computeNewShape(t, st, spacing) : t;
  });
  const medianShape = [0, 1, 2].map((a) => percentile(shapes.map((s) => s[a]!), 50));
  return (patch[0] * patch[1] * patch[2]) / (medianShape[0]! * medianShape[1]! * medianShape[2]!) < LOWRES_CREATION_THRESHOLD;
}

/**
 * {@link planSegmentation} that first reads the dataset's fingerprint (every case, checked).
 * @param onCase progress after each case read.
 */
export async function planSegmentationAsync(
  adaptationPlan: AdaptationPlan,
  dataset: SegmentationDataset,
  options: PlanSegmentationOptions & { onCase?: (done: number, total: number, id: string) => void } = {},
): Promise<{ plan: SegmentationPlan; fingerprint: SegmentationFingerprint }> {
  const fingerprint = await extractSegmentationFingerprint(dataset, options.onCase);
  return { plan: planSegmentation(adaptationPlan, dataset, fingerprint, options), fingerprint };
}
