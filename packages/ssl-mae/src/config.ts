import { z } from 'zod';

/** MAE's options; defaults are nnssl's BaseMAETrainer (nnssl-spec §3.1, §1.1). */
export const maeConfigSchema = z.strictObject({
  /** Fraction of mask cells hidden from the network. */
  maskRatio: z.number().gt(0).lt(1).default(0.75),
  /** Edge length of one mask cell in voxels (cells per axis = patch // blockSize). */
  blockSize: z.number().int().positive().default(16),
  /** Also exclude defaced voxels (anonymization mask) from the loss (nnssl's _ANON variant). */
  excludeAnonymized: z.boolean().default(false),
  /** SGD learning rate (poly-decayed per epoch). */
  lr: z.number().positive().default(1e-2),
  momentum: z.number().min(0).lt(1).default(0.99),
  nesterov: z.boolean().default(true),
  weightDecay: z.number().min(0).default(3e-5),
  /** Global gradient-norm clip. */
  gradClip: z.number().positive().default(12),
});

export type MaeConfig = z.infer<typeof maeConfigSchema>;
