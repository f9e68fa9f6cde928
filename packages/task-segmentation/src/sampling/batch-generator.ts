import { Rng, type Augmentation } from '@openmind-ssl/core';
import { centerCropStart, cropVolume } from '@openmind-ssl/augment';
import { OpenMindError } from '@openmind-ssl/core';
import { nnunetTrainingAugmentation } from '../augment/training-augmentation.js';
import type { SegmentationBatch, SegmentationCase, SegmentationPlan, Vec3 } from '../contract.js';
import { choosePatchStart } from './choose-patch.js';
import { cropBounds } from './crop-bounds.js';
import { extractPatch } from './extract-patch.js';
import { OVERSAMPLE_FOREGROUND, isForcedForeground } from './oversampling.js';

/** Options of {@link SegmentationBatchGenerator}. */
export interface SegmentationBatchOptions {
  /** Network patch [D, H, W]. */
  patchSize: Vec3;
  batchSize: number;
  /** Batches are a pure function of (seed, batch index). */
  seed: number;
  /**
   * The patch the loader crops before `transform` (nnU-Net's enlarged initial patch for spatial
   * augmentation); default `patchSize` (validation: crop the final patch directly).
   */
  cropSize?: Vec3;
  /** Applied to each [C, ...cropSize] sample (label in `masks.label`, −1 padding kept); must return `patchSize`. */
  transform?: Augmentation;
  /** Default 0.33. */
  oversampleForeground?: number;
  /** The dataset's ignore label: random patches are then centred on annotated voxels. */
  ignoreLabel?: number | null;
  /**
   * Training augmentation: nnU-Net's list (`nnunetTrainingAugmentation`) on its enlarged crop. Default false
   * (validation: crop only). Ignored when `transform` is given.
   */
  augment?: boolean;
  /** The plan's `useMaskForNorm`, for the MaskImage step of the augmentation. */
  useMaskForNorm?: readonly boolean[];
}

/**
 * nnU-Net's data loader for training and validation: per batch, `batchSize` cases drawn uniformly with
 * replacement; per sample the deterministic foreground oversampling rule, nnU-Net's crop bounds and patch
 * placement, padding (image 0, label −1), an optional transform from the crop to the network patch, and
 * finally label −1 → 0 (RemoveLabel). Deterministic: `batch(i)` depends only on the seed and `i`, so a run
 * resumed at step i gets the batches it would have had.
 */
export class SegmentationBatchGenerator {
  readonly options: Required<Omit<SegmentationBatchOptions, 'transform' | 'augment' | 'useMaskForNorm'>> & { transform: Augmentation | null };
  private step = 0;

  /** @throws OpenMindError when there are no cases or their channel counts differ. */
  constructor(readonly cases: readonly SegmentationCase[], options: SegmentationBatchOptions) {
    if (cases.length === 0) throw new OpenMindError('SegmentationBatchGenerator: cases must not be empty, but got none.');
    const C = cases[0]!.shape[0];
    const odd = cases.find((c) => c.shape[0] !== C);
    if (odd) throw new OpenMindError(`SegmentationBatchGenerator: every case must have ${C} channel(s), but case "${odd.id}" has ${odd.shape[0]}.`);
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new RangeError(`SegmentationBatchGenerator: batchSize must be a positive integer, but got ${options.batchSize}.`);
    const augmentation = !options.transform && options.augment ? nnunetTrainingAugmentation(options.patchSize, options.useMaskForNorm ?? []) : null;
    this.options = {
      patchSize: options.patchSize,
      batchSize: options.batchSize,
      seed: options.seed,
      cropSize: options.cropSize ?? augmentation?.cropSize ?? options.patchSize,
      transform: options.transform ?? augmentation?.transform ?? null,
      oversampleForeground: options.oversampleForeground ?? OVERSAMPLE_FOREGROUND,
      ignoreLabel: options.ignoreLabel ?? null,
    };
  }

  /** Batch number `index` (0-based). */
  batch(index: number): SegmentationBatch {
    const { patchSize, batchSize, cropSize, transform, oversampleForeground, ignoreLabel } = this.options;
    const rng = new Rng([this.options.seed >>> 0, index >>> 0, 0x5e9da7a, 1]);
    const C = this.cases[0]!.shape[0];
    const n = patchSize[0] * patchSize[1] * patchSize[2];
    const image = new Float32Array(batchSize * C * n);
    const label = new Int16Array(batchSize * n);
    for (let b = 0; b < batchSize; b++) {
      const sampleRng = rng.fork();
      const c = this.cases[sampleRng.int(0, this.cases.length)]!;
      const bounds = cropBounds([c.shape[1], c.shape[2], c.shape[3]], cropSize, patchSize);
      const forced = isForcedForeground(b, batchSize, oversampleForeground);
      const { start } = choosePatchStart(c, forced, bounds, cropSize, sampleRng, ignoreLabel !== null);
      let patch = extractPatch(c, start, cropSize);
      if (transform) {
        const out = transform.apply({ image: patch.image, shape: [C, ...cropSize], masks: { label: { data: patch.label, channels: 1 } } }, sampleRng.fork());
        const seg = out.masks?.['label']?.data;
        if (!seg || out.shape[1] !== patchSize[0] || out.shape[2] !== patchSize[1] || out.shape[3] !== patchSize[2]) {
          throw new OpenMindError(`SegmentationBatchGenerator: the transform must return the label and the patch [${patchSize.join(', ')}], but returned shape [${out.shape.join(', ')}]${seg ? '' : ' without a label'}.`);
        }
        patch = { image: out.image, label: Int32Array.from(seg) };
      } else if (cropSize.some((s, d) => s !== patchSize[d])) {
        const s = centerCropStart(cropSize, patchSize);
        patch = { image: cropVolume(patch.image, [C, ...cropSize], s, patchSize), label: cropVolume(patch.label, [1, ...cropSize], s, patchSize) };
      }
      image.set(patch.image, b * C * n);
      // RemoveLabelTransform(-1 → 0): padding and outside-the-body voxels become background.
      for (let i = 0; i < n; i++) {
        const v = patch.label[i]!;
        label[b * n + i] = v === -1 ? 0 : v;
      }
    }
    return { image, label, shape: [batchSize, C, ...patchSize] };
  }

  /** The next batch in order (a fresh generator starts at 0). */
  next(): SegmentationBatch {
    return this.batch(this.step++);
  }

  /** Sets the index of the batch `next` returns (resume). */
  seek(index: number): void {
    this.step = index;
  }
}

/**
 * The plan's training batches (nnU-Net's training loader: enlarged crop, augmentation, oversampling) or
 * validation batches (final patch, no augmentation, same oversampling).
 */
export function segmentationBatches(cases: readonly SegmentationCase[], plan: SegmentationPlan, options: { seed: number; mode: 'train' | 'val'; batchSize?: number }): SegmentationBatchGenerator {
  return new SegmentationBatchGenerator(cases, {
    patchSize: plan.patchSize,
    batchSize: options.batchSize ?? plan.batchSize,
    seed: options.seed,
    ignoreLabel: plan.ignoreLabel,
    augment: options.mode === 'train',
    useMaskForNorm: plan.useMaskForNorm,
  });
}
