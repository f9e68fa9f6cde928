import { z } from 'zod';

/** Options shared by both variants; defaults are nnssl's SwinUNETRTrainer (nnssl-spec §3.9). */
const common = {
  /** Temperature of the contrastive loss. */
  temperature: z.number().positive().default(0.5),
  /** Width of the contrastive head's output (nnssl: Linear(C, 512)). */
  contrastDim: z.number().int().positive().default(512),
  /** Loss weights: L1 reconstruction, contrast, rotation cross-entropy (nnssl: 1, 1, 1). */
  reconWeight: z.number().min(0).default(1),
  contrastWeight: z.number().min(0).default(1),
  rotationWeight: z.number().min(0).default(1),
  /** Largest fraction of a view's voxels the cutout targets (MONAI patch_rand_drop max_drop). */
  maxDrop: z.number().min(0).max(1).default(0.3),
};

/** SwinUNETR pre-training on a CNN encoder (ResEnc): nnssl's default SGD, clip 12. */
export const swinunetrConfigSchema = z.strictObject({
  ...common,
  lr: z.number().positive().default(1e-2),
  momentum: z.number().min(0).lt(1).default(0.99),
  nesterov: z.boolean().default(true),
  weightDecay: z.number().min(0).default(3e-5),
  /** Global gradient-norm clip. */
  gradClip: z.number().positive().default(12),
});

/** On a token transformer (nnssl SwinUNETREvaTrainer): AdamW with warm-up, clip 1. */
export const tokenSwinunetrConfigSchema = z.strictObject({
  ...common,
  lr: z.number().positive().default(3e-4),
  weightDecay: z.number().min(0).default(5e-2),
  betas: z.tuple([z.number().min(0).lt(1), z.number().min(0).lt(1)]).default([0.9, 0.98]),
  /** Epochs of linear warm-up before the poly decay. */
  warmupEpochs: z.number().int().min(0).default(50),
  gradClip: z.number().positive().default(1),
});

export type SwinunetrConfig = z.infer<typeof swinunetrConfigSchema>;
export type TokenSwinunetrConfig = z.infer<typeof tokenSwinunetrConfigSchema>;
