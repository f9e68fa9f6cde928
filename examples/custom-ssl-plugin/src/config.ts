import { z } from 'zod';

/** Options of rotation prediction. */
export const rotationConfigSchema = z.strictObject({
  /** AdamW learning rate (constant). */
  lr: z.number().positive().default(1e-3),
  /** AdamW decoupled weight decay. */
  weightDecay: z.number().min(0).default(1e-4),
  /** Global gradient-norm clip. */
  gradClip: z.number().positive().default(1),
});

export type RotationConfig = z.infer<typeof rotationConfigSchema>;
