import type { OptimizerFamily } from './schedule-context.js';

/** The stage lengths of a schedule in epochs. */
export interface StageLengths {
  /** Warm-up of the whole network (Warm-Up, Frozen's warm-up). */
  warmup: number;
  /** Sawtooth's decoder stage D (warm-up ⌊D/2⌋ + decay); Valley's decoder stage. */
  decoder: number;
  /** Sawtooth's and Valley's whole-network warm-up A. */
  wholeNet: number;
  /** The fork variant the lengths were taken from (150 or 1000 epochs). */
  variant: 150 | 1000;
}

// The fork's variants (finetune-spec §1.5.1, §1.5.2): 1000 epochs with stages of 50; 150 epochs with
// stages of 15, except Primus Sawtooth_150ep, whose whole-network warm-up stays 50.
const VARIANTS: Record<OptimizerFamily, { epochs: 150 | 1000; lengths: Omit<StageLengths, 'variant'> }[]> = {
  sgd: [
    { epochs: 150, lengths: { warmup: 15, decoder: 15, wholeNet: 15 } },
    { epochs: 1000, lengths: { warmup: 50, decoder: 50, wholeNet: 50 } },
  ],
  adamw: [
    { epochs: 150, lengths: { warmup: 15, decoder: 15, wholeNet: 50 } },
    { epochs: 1000, lengths: { warmup: 50, decoder: 50, wholeNet: 50 } },
  ],
};

/**
 * Stage lengths for a run of `epochs`: the fork's numbers at 150 and 1000 epochs; any other count takes
 * the nearer variant (150 below 575 epochs, the midpoint, else 1000) scaled proportionally, each stage at
 * least 1 epoch (Sawtooth's decoder stage at least 2, for its warm-up and decay halves).
 * @throws RangeError when the stages do not fit in `epochs`.
 */
export function stageLengths(epochs: number, family: OptimizerFamily): StageLengths {
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`fine-tuning schedule: epochs must be a positive integer, but got ${epochs}.`);
  const [short, long] = VARIANTS[family] as [typeof VARIANTS.sgd[0], typeof VARIANTS.sgd[0]];
  const v = epochs < (short.epochs + long.epochs) / 2 ? short : long;
  const scale = (n: number, min: number) => Math.max(min, Math.round((n * epochs) / v.epochs));
  return { warmup: scale(v.lengths.warmup, 1), decoder: scale(v.lengths.decoder, 2), wholeNet: scale(v.lengths.wholeNet, 1), variant: v.epochs };
}
