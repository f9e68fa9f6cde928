import { z } from 'zod';

/** SimMIM's options; defaults are nnssl's SimMIMEvaTrainer (the EvaMAE recipe, nnssl-spec §3.3, §3.4). */
export const simmimConfigSchema = z.strictObject({
  /** Fraction of tokens replaced by the mask token per sample (trunc(ratio · T) tokens). */
  maskRatio: z.number().gt(0).lt(1).default(0.75),
  /** Stochastic depth of the last encoder block. */
  dropPathRate: z.number().min(0).lt(1).default(0.2),
  /** Also exclude defaced voxels (anonymization mask) from the loss. */
  excludeAnonymized: z.boolean().default(false),
  /** AdamW peak learning rate, reached after the warm-up. */
  lr: z.number().positive().default(3e-4),
  /** AdamW decoupled weight decay. */
  weightDecay: z.number().min(0).default(5e-2),
  /** AdamW moment coefficients. */
  betas: z.tuple([z.number().min(0).lt(1), z.number().min(0).lt(1)]).default([0.9, 0.98]),
  /** Epochs of linear warm-up before the poly decay. */
  warmupEpochs: z.number().int().min(0).default(50),
  /** Global gradient-norm clip. */
  gradClip: z.number().positive().default(1),
});

export type SimmimConfig = z.infer<typeof simmimConfigSchema>;
