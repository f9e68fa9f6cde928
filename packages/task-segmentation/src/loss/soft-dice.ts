import { softmax, sum, type Tensor } from '@openmind-ssl/core';
import { oneHot } from './one-hot.js';

/** Options of {@link softDiceLoss} (nnU-Net's MemoryEfficientSoftDiceLoss). */
export interface SoftDiceOptions {
  /** Sum intersections and volumes over the batch before the ratio (nnU-Net's `batch_dice`). */
  batchDice: boolean;
  /** Added to numerator and denominator (nnU-Net: 1e-5). */
  smooth?: number;
  /** Include the background channel (nnU-Net: false). */
  includeBackground?: boolean;
}

/**
 * nnU-Net's soft Dice loss: p = softmax(logits), y = one-hot(target); per (sample, class) over the
 * spatial axes I = Σ p·y·m, P = Σ p·m, G = Σ y·m (m: 1 where the voxel counts); with batch Dice the sums
 * are also taken over the batch; dc = (2I + smooth) / max(G + P + smooth, 1e-8); the loss is −mean(dc)
 * over the remaining (sample,) class entries. Background is dropped unless asked for.
 * @param logits [B, C, ...spatial] float32
 * @param target [B, 1, ...spatial] int32 label values (ignored voxels may hold any value; `mask` zeroes them)
 * @param mask optional [B, 1, ...spatial] float32, 1 where the voxel counts
 * @see finetune-spec §1.6
 */
export function softDiceLoss(logits: Tensor, target: Tensor, options: SoftDiceOptions, mask?: Tensor): Tensor {
  const classes = logits.shape[1]!;
  const smooth = options.smooth ?? 1e-5;
  let p = softmax(logits, 1);
  // The one-hot target and its volume carry no gradient; nnU-Net computes them under no_grad too.
  let y = logits.engine.noGrad(() => oneHot(target, classes));
  if (!options.includeBackground) {
    const rest = [logits.shape[0]!, classes - 1, ...logits.shape.slice(2)];
    p = p.slice([0, 1, ...logits.shape.slice(2).map(() => 0)], rest);
    y = y.slice([0, 1, ...logits.shape.slice(2).map(() => 0)], rest);
  }
  const axes = logits.shape.slice(2).map((_, i) => i + 2);
  if (mask) {
    p = p.mul(mask);
    y = y.mul(mask);
  }
  let intersect = sum(p.mul(y), axes);
  let sumPred = sum(p, axes);
  let sumGt = sum(y, axes);
  if (options.batchDice) {
    intersect = sum(intersect, 0);
    sumPred = sum(sumPred, 0);
    sumGt = sum(sumGt, 0);
  }
  const dc = intersect.mul(2).add(smooth).div(sumGt.add(sumPred).add(smooth).maximum(1e-8));
  return dc.mean().neg();
}
