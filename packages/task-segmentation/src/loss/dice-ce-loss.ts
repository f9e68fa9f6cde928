import type { Tensor } from '@openmind-ssl/core';
import { maskedCrossEntropy } from './masked-cross-entropy.js';
import { softDiceLoss } from './soft-dice.js';

/** Options of {@link diceCeLoss}; defaults are nnU-Net's. */
export interface DiceCeOptions {
  /** Dice over the whole batch (the plan's batchDice) or per sample. */
  batchDice: boolean;
  /** The label value that neither term counts; null for none. */
  ignoreLabel?: number | null;
  /** Dice smoothing (1e-5). */
  smooth?: number;
  /** Term weights (1 and 1). */
  weightCe?: number;
  weightDice?: number;
}

/**
 * nnU-Net's DC_and_CE_loss for label maps: weightCe·CE + weightDice·softDice. With an ignore label, its
 * voxels are masked out of both terms (the Dice target there is set to background, which the Dice drops,
 * and the mask removes them from P and G as well).
 * @param logits [B, C, ...spatial] float32 (C includes background, excludes the ignore label)
 * @param target [B, 1, ...spatial] int32
 * @returns scalar; usually negative, since the Dice term is −mean(dc)
 * @see finetune-spec §1.6
 */
export function diceCeLoss(logits: Tensor, target: Tensor, options: DiceCeOptions): Tensor {
  const ignore = options.ignoreLabel ?? null;
  const mask = ignore === null ? undefined : logits.engine.noGrad(() => target.equal(ignore).cast('float32').neg().add(1));
  const dice = softDiceLoss(logits, target, { batchDice: options.batchDice, smooth: options.smooth ?? 1e-5 }, mask);
  const ce = maskedCrossEntropy(logits, target, mask);
  return ce.mul(options.weightCe ?? 1).add(dice.mul(options.weightDice ?? 1));
}
