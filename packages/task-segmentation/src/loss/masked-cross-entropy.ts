import { logSoftmax, sum, type Tensor } from '@openmind-ssl/core';
import { oneHot } from './one-hot.js';

/**
 * Softmax cross-entropy averaged over the voxels where `mask` is 1 (PyTorch's CrossEntropyLoss with
 * `ignore_index`; nnU-Net's RobustCrossEntropyLoss). With no counted voxel the result is 0, which is
 * what nnU-Net's compound loss uses when a batch holds only the ignore label.
 * @param logits [B, C, ...spatial] float32
 * @param target [B, 1, ...spatial] int32 label values
 * @param mask optional [B, 1, ...spatial] float32, 1 where the voxel counts (default: every voxel)
 */
export function maskedCrossEntropy(logits: Tensor, target: Tensor, mask?: Tensor): Tensor {
  const classes = logits.shape[1]!;
  const y = logits.engine.noGrad(() => oneHot(target, classes));
  const nll = sum(y.mul(logSoftmax(logits, 1)), 1, true).neg();
  if (!mask) return nll.mean();
  return sum(nll.mul(mask)).div(sum(mask).maximum(1));
}
