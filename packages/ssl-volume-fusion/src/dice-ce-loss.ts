import { crossEntropy, mean, softmax, sum, type Tensor, arange, reshape } from '@openmind-ssl/core';

/** nnssl's Dice smoothing (DC_and_CE_loss with MemoryEfficientSoftDiceLoss, smooth 1e-5). */
export const DICE_SMOOTH = 1e-5;

/**
 * Soft Dice loss over every class including the background, per sample and class (not batch Dice):
 * −mean over (n, c) of (2·Σ p·y + smooth) / max(Σ y + Σ p + smooth, 1e-8), sums over the voxels, p = softmax
 * (nnU-Net MemoryEfficientSoftDiceLoss with do_bg, batch_dice false).
 * @param logits [N, K, ...spatial]; @param target [N, ...spatial] int32 class indices
 */
export function softDiceLoss(logits: Tensor, target: Tensor, smooth = DICE_SMOOTH): Tensor {
  const k = logits.shape[1]!;
  const spatial = logits.shape.slice(2).map((_, i) => i + 2);
  const p = softmax(logits, 1);
  const classes = reshape(arange(k, { engine: logits.engine }), [1, k, ...spatial.map(() => 1)]);
  const onehot = classes.equal(reshape(target, [target.shape[0]!, 1, ...target.shape.slice(1)])).cast('float32');
  const intersect = sum(p.mul(onehot), spatial);
  const denominator = sum(onehot, spatial).add(sum(p, spatial)).add(smooth).maximum(1e-8);
  return mean(intersect.mul(2).add(smooth).div(denominator)).neg();
}

/** VolumeFusion's loss: cross-entropy (mean over voxels) + soft Dice, weights 1 and 1 (nnssl-spec §3.7). */
export function diceCeLoss(logits: Tensor, target: Tensor): Tensor {
  return crossEntropy(logits, target).add(softDiceLoss(logits, target));
}
