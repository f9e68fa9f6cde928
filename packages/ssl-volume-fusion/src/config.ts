import { z } from 'zod';

/** Options of the fusion, the same on every architecture (nnssl VolumeFusionTrainer, nnssl-spec §3.7). */
const fusion = {
  /** Classes to segment; the mixing coefficients are linspace(0, 1, classes) (nnssl 5; its _C3/_C9 variants 3 and 9). */
  classes: z.number().int().min(2).max(32).default(5),
  /** Fewest boxes per pair (inclusive). */
  boxCountMin: z.number().int().min(1).default(10),
  /** Most boxes per pair (exclusive, as `np.random.randint(10, 40)`). */
  boxCountMax: z.number().int().min(2).default(40),
  /** Smallest box side in voxels. */
  boxSizeMin: z.number().int().min(1).default(8),
  /** Largest box side as a fraction of the patch side: int(0.625·160) = 100. */
  boxSizeFraction: z.number().gt(0).max(1).default(0.625),
  /** Augment every image in the data workers before fusing (nnssl's noise, blur, brightness, contrast, low resolution, gammas, mirroring). */
  augment: z.boolean().default(true),
};

/** On a CNN (ResEnc): nnssl VolumeFusionTrainer's SGD recipe. */
export const fusionCnnConfigSchema = z.strictObject({
  ...fusion,
  /** SGD learning rate, poly-decayed per epoch. */
  lr: z.number().positive().default(1e-2),
  momentum: z.number().min(0).lt(1).default(0.99),
  nesterov: z.boolean().default(true),
  weightDecay: z.number().min(0).default(3e-5),
  /** Global gradient-norm clip. */
  gradClip: z.number().positive().default(12),
});

/** On a token transformer (Primus): nnssl VolumeFusionEvaTrainer's AdamW (EvaMAE) recipe. */
export const fusionTokenConfigSchema = z.strictObject({
  ...fusion,
  /** AdamW peak learning rate, reached after the warm-up. */
  lr: z.number().positive().default(3e-4),
  weightDecay: z.number().min(0).default(5e-2),
  betas: z.tuple([z.number().min(0).lt(1), z.number().min(0).lt(1)]).default([0.9, 0.98]),
  /** Epochs of linear warm-up before the poly decay. */
  warmupEpochs: z.number().int().min(0).default(50),
  /** Stochastic depth of the last encoder block. */
  dropPathRate: z.number().min(0).lt(1).default(0.2),
  /** Global gradient-norm clip. */
  gradClip: z.number().positive().default(1),
});

export type FusionCnnConfig = z.infer<typeof fusionCnnConfigSchema>;
export type FusionTokenConfig = z.infer<typeof fusionTokenConfigSchema>;
export type FusionConfig = FusionCnnConfig | FusionTokenConfig;
