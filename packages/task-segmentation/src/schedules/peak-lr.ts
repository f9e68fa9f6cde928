import type { ScheduleContext } from './schedule-context.js';

/** Peak learning rates (finetune-spec §1.5): pre-trained and from-scratch, per optimizer family. */
const PEAKS = {
  // nnUNetTrainer: Poly from 1e-2. Primus has no nnU-Net default; its from-scratch AdamW peak is used.
  default: { sgd: [1e-2, 1e-2], adamw: [3e-4, 3e-4] },
  // PretrainedTrainer (+ _Primus): 1e-3 / 1e-4 pre-trained, 1e-2 / 3e-4 with --from_scratch.
  'warm-up': { sgd: [1e-3, 1e-2], adamw: [1e-4, 3e-4] },
  sawtooth: { sgd: [1e-3, 1e-2], adamw: [1e-4, 3e-4] },
  // No ResEnc Frozen trainer exists; the warm-up trainer's peak is used. Primus: frozenEnc's 1e-4.
  frozen: { sgd: [1e-3, 1e-2], adamw: [1e-4, 3e-4] },
  valley: { sgd: [1e-3, 1e-2], adamw: [1e-4, 3e-4] },
  // LoRA has no fork trainer: the Warm-Up peaks.
  lora: { sgd: [1e-3, 1e-2], adamw: [1e-4, 3e-4] },
} as const;

/** A schedule's peak learning rate for the run: `ctx.lr` when given. */
export function peakLr(schedule: keyof typeof PEAKS, ctx: ScheduleContext): number {
  return ctx.lr ?? PEAKS[schedule][ctx.optimizer][ctx.pretrained ? 0 : 1];
}

/**
 * Sawtooth's decoder learning-rate factor f: 1 for ResEnc; for Primus 0.01 (1000-epoch variant) or 0.1
 * (150-epoch variant), "during decoder warm-up the lr must be smaller, otherwise training collapses".
 */
export function decoderLrFactor(ctx: ScheduleContext, variant: 150 | 1000): number {
  if (ctx.optimizer === 'sgd') return 1;
  return variant === 1000 ? 0.01 : 0.1;
}
