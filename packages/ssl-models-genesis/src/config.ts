import { z } from 'zod';

const probability = z.number().min(0).max(1);

/** Options of the corruption, the same on every architecture (nnssl ModelGenesisTransform, nnssl-spec §3.8). */
const corruption = {
  /** Probability of each further flip (at most 3). */
  flipRate: probability.default(0.4),
  /** Probability of local pixel shuffling (10,000 windows). */
  localShuffleRate: probability.default(0.5),
  /** Probability of the Bézier intensity mapping (inverted in half of the cases). */
  nonlinearRate: probability.default(0.9),
  /** Probability of painting. */
  paintRate: probability.default(0.9),
  /** Share of paintings that are in-painting; the rest are out-painting. */
  inpaintRate: probability.default(0.2),
  /** 'unit': corrupt each channel rescaled to [0, 1] by its min and max (the method's intent); 'raw': the z-scored values, as nnssl. */
  intensity: z.enum(['unit', 'raw']).default('unit'),
  /** Flip along (channel, X, Y) of the (C, X, Y, Z) array as nnssl does (never Z), instead of along (X, Y, Z). */
  nnsslFlipAxes: z.boolean().default(false),
  /** Leave defaced voxels (anonymization mask) out of the MSE (nnssl's _ANON variant). */
  excludeAnonymized: z.boolean().default(false),
};

/** On a CNN (ResEnc): nnssl ModelGenesisTrainer's SGD recipe. */
export const genesisCnnConfigSchema = z.strictObject({
  ...corruption,
  /** SGD learning rate, poly-decayed per epoch. */
  lr: z.number().positive().default(1e-2),
  momentum: z.number().min(0).lt(1).default(0.99),
  nesterov: z.boolean().default(true),
  weightDecay: z.number().min(0).default(3e-5),
  /** Global gradient-norm clip. */
  gradClip: z.number().positive().default(12),
});

/** On a token transformer (Primus): nnssl ModelGenesisEvaTrainer's AdamW recipe. */
export const genesisTokenConfigSchema = z.strictObject({
  ...corruption,
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

export type GenesisCnnConfig = z.infer<typeof genesisCnnConfigSchema>;
export type GenesisTokenConfig = z.infer<typeof genesisTokenConfigSchema>;
export type GenesisConfig = GenesisCnnConfig | GenesisTokenConfig;
