import { z } from 'zod';

const triple = z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]);

/** Options shared by both variants; defaults are nnssl's VoCoTrainer (nnssl-spec §3.6). */
const common = {
  /** Base crops per axis; the loader patch is crop × grid (nnssl: 4×4×1 of 64³ = 256×256×64). */
  grid: triple.default([4, 4, 1]),
  /** Random target crops per image (nnssl `target_crop_count`). */
  targets: z.number().int().positive().default(4),
  /** Width of the projector's hidden and output layers (nnssl VocoProjectionHead: 2048). */
  projectorDim: z.number().int().positive().default(2048),
  /** Augment each crop with nnssl's crop pipeline (off: crops as cut, as nnssl validates). */
  augment: z.boolean().default(true),
  /** Weights of the prediction and regularisation losses (nnssl VoCoLoss: 1, 1). */
  predWeight: z.number().min(0).default(1),
  regWeight: z.number().min(0).default(1),
  /**
   * Momentum of an EMA teacher that embeds the base crops of the prediction loss (MoCo-style, as the
   * original VoCo; nnssl issue #22). Absent: no teacher, as nnssl.
   */
  teacherMomentum: z.number().gt(0).lt(1).optional(),
};

/** VoCo on a CNN encoder (ResEnc): nnssl's default SGD, no gradient clipping. */
export const vocoConfigSchema = z.strictObject({
  ...common,
  /** SGD learning rate (poly-decayed per epoch). */
  lr: z.number().positive().default(1e-2),
  momentum: z.number().min(0).lt(1).default(0.99),
  nesterov: z.boolean().default(true),
  weightDecay: z.number().min(0).default(3e-5),
  /** Global gradient-norm clip; nnssl's VoCoTrainer has none. */
  gradClip: z.number().positive().optional(),
});

/** VoCo on a token transformer (nnssl VoCoEvaTrainer): AdamW with warm-up, clip 1. */
export const tokenVocoConfigSchema = z.strictObject({
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

export type VocoConfig = z.infer<typeof vocoConfigSchema>;
export type TokenVocoConfig = z.infer<typeof tokenVocoConfigSchema>;
