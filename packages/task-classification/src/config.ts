import { z } from 'zod';

/** The classification task's options; defaults are the reference's (finetune-spec §2.3–2.4). */
export const classificationConfigSchema = z.strictObject({
  /** full, linear-probe (head only), sawtooth (head first, then everything) or lora (head and low-rank adapters). */
  finetune: z.enum(['full', 'linear-probe', 'sawtooth', 'lora']).default('full'),
  /** LoRA rank r, scaling α (updates scaled by α / r) and adapter-input dropout (peft's and the reference's 8, 32, 0.1). */
  loraRank: z.number().int().positive().default(8),
  loraAlpha: z.number().positive().default(32),
  loraDropout: z.number().min(0).lt(1).default(0.1),
  epochs: z.number().int().positive().default(200),
  /** Linear warm-up epochs (sawtooth: the head's, and as many again for both). */
  warmupEpochs: z.number().int().nonnegative().default(20),
  lr: z.number().positive().default(1e-4),
  weightDecay: z.number().nonnegative().default(1e-2),
  batchSize: z.number().int().positive().default(2),
  /** Micro-batches per optimizer step (48 in the reference's ABIDE config). */
  accumulate: z.number().int().positive().default(1),
  /** Cross-entropy label smoothing (0.2 in the reference's ABIDE config). */
  labelSmoothing: z.number().min(0).lt(1).default(0),
  /** Dropout before the head's Linear. */
  dropout: z.number().min(0).lt(1).default(0.2),
  /** Cross-validation folds (3 for ABIDE in the reference); a splits.json in the dataset takes precedence. */
  folds: z.number().int().min(2).default(3),
  /** The fixed crop centred on the head, in 1 mm voxels (160³; the cpu preset 32³). */
  cropSize: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]).default([160, 160, 160]),
  /** Training augmentation: 'nnunet' (the reference's: nnU-Net's list without its label steps) or 'none'. */
  augmentation: z.enum(['nnunet', 'none']).default('nnunet'),
  /** z-score over the head ('head') or every voxel of the crop ('whole-volume', the reference's effective behaviour). */
  normalization: z.enum(['head', 'whole-volume']).default('head'),
});

export type ClassificationConfig = z.infer<typeof classificationConfigSchema>;

/** A small CPU preset: 32³ crop, 30 epochs with 3 of warm-up (the rest the reference's). */
export const CPU_PRESET: Partial<ClassificationConfig> = { cropSize: [32, 32, 32], epochs: 30, warmupEpochs: 3 };
