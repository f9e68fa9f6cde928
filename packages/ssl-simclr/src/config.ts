import { z } from 'zod';

const triple = z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]);

/** Options shared by both variants; defaults are nnssl's SimCLRTrainer (nnssl-spec §3.5). */
const common = {
  /** Crop pairs per image (nnssl `num_crops_per_image`). */
  pairs: z.number().int().positive().default(2),
  /** Least overlap per axis of a pair, as a fraction of the crop (nnssl `min_crop_overlap`). */
  minOverlap: z.number().gt(0).max(1).default(0.5),
  /**
   * Patch read per image, from which the crops are cut (default: crop × [3, 3, 1], nnssl's 192×192×64
   * for 64³ crops). The network input (the run's patch size) is the crop.
   */
  loaderPatchSize: triple.optional(),
  /** NT-Xent temperature τ. */
  temperature: z.number().positive().default(0.5),
  /** Width of the projector's hidden and output layers (nnssl VocoProjectionHead: 2048). */
  projectorDim: z.number().int().positive().default(2048),
  /** Augment each crop with nnssl's crop pipeline (off: crops as cut, as nnssl validates). */
  augment: z.boolean().default(true),
};

/** SimCLR on a CNN encoder (ResEnc): SGD with nnssl's defaults and clip 0.1. */
export const simclrConfigSchema = z.strictObject({
  ...common,
  /** SGD learning rate (poly-decayed per epoch). */
  lr: z.number().positive().default(1e-2),
  momentum: z.number().min(0).lt(1).default(0.99),
  nesterov: z.boolean().default(true),
  weightDecay: z.number().min(0).default(3e-5),
  /** Global gradient-norm clip. */
  gradClip: z.number().positive().default(0.1),
});

/** SimCLR on a token transformer (nnssl SimCLREvaTrainer): AdamW with warm-up, clip 1. */
export const tokenSimclrConfigSchema = z.strictObject({
  ...common,
  /** AdamW peak learning rate, reached after the warm-up. */
  lr: z.number().positive().default(3e-4),
  weightDecay: z.number().min(0).default(5e-2),
  betas: z.tuple([z.number().min(0).lt(1), z.number().min(0).lt(1)]).default([0.9, 0.98]),
  /** Epochs of linear warm-up before the poly decay. */
  warmupEpochs: z.number().int().min(0).default(50),
  /** Global gradient-norm clip. */
  gradClip: z.number().positive().default(1),
});

export type SimclrConfig = z.infer<typeof simclrConfigSchema>;
export type TokenSimclrConfig = z.infer<typeof tokenSimclrConfigSchema>;
