import { z } from 'zod';

/** SparK's options; defaults are nnssl's SparkMAETrainer (nnssl-spec §3.2, §3.1, §1.1) except `maskInput`. */
export const sparkConfigSchema = z.strictObject({
  /** Fraction of mask cells hidden from the network. */
  maskRatio: z.number().gt(0).lt(1).default(0.75),
  /** Edge length of one mask cell in voxels at the input (cells per axis = patch // blockSize). */
  blockSize: z.number().int().positive().default(16),
  /**
   * Zero the hidden cells of the input before the stem, as the original SparK does. false = nnssl's
   * SparkMAETrainer, whose stem reads the unmasked input, so hidden intensities leak one voxel deep into
   * visible features (the setting behind the OpenMind paper's S3D numbers).
   */
  maskInput: z.boolean().default(true),
  /** Also exclude defaced voxels (anonymization mask) from the loss (as nnssl's _ANON variants). */
  excludeAnonymized: z.boolean().default(false),
  /** SGD learning rate (poly-decayed per epoch). */
  lr: z.number().positive().default(1e-2),
  momentum: z.number().min(0).lt(1).default(0.99),
  nesterov: z.boolean().default(true),
  weightDecay: z.number().min(0).default(3e-5),
  /** Global gradient-norm clip. */
  gradClip: z.number().positive().default(12),
});

export type SparkConfig = z.infer<typeof sparkConfigSchema>;
