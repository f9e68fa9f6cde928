import { z } from 'zod';

/** Options of the two-view method. */
export const twoViewConfigSchema = z.strictObject({
  /** AdamW learning rate (constant). */
  lr: z.number().positive().default(1e-3),
  /** AdamW decoupled weight decay. */
  weightDecay: z.number().min(0).default(1e-4),
  /** Momentum of the EMA teacher: teacher ← m·teacher + (1 − m)·student after every update. */
  momentum: z.number().min(0).max(1).default(0.99),
  /** Weight of the teacher-matching (MSE) term next to the turn classification. */
  matchWeight: z.number().min(0).default(1),
  /** Global gradient-norm clip. */
  gradClip: z.number().positive().default(1),
});

export type TwoViewConfig = z.infer<typeof twoViewConfigSchema>;
