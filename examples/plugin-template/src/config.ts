import { z } from 'zod';

/** Options of the denoising autoencoder; every field has a default, so `{}` is a valid config. */
export const denoisingConfigSchema = z.strictObject({
  /** Standard deviation of the Gaussian noise added to the (z-scored) input. */
  noiseStd: z.number().positive().default(0.5),
  /** AdamW learning rate, decayed polynomially over the epochs. */
  lr: z.number().positive().default(1e-3),
  /** AdamW decoupled weight decay. */
  weightDecay: z.number().min(0).default(1e-4),
  /** Global gradient-norm clip. */
  gradClip: z.number().positive().default(1),
});

export type DenoisingConfig = z.infer<typeof denoisingConfigSchema>;
