import { OpenMindError } from '../errors/openmind-error.js';
import type { Tensor } from '../tensor/tensor.js';
import { logSoftmax } from './activations.js';
import { arange } from './create.js';
import { mean, sum } from './reduce.js';
import { expand, reshape } from './shape-ops.js';

/**
 * Softmax cross-entropy with integer targets, averaged over every sample/voxel (PyTorch CrossEntropyLoss).
 * @param logits [N, C, ...] float32
 * @param target [N, ...] int32 class indices
 * @param labelSmoothing ε: the target distribution is (1−ε)·onehot + ε/C
 */
export function crossEntropy(logits: Tensor, target: Tensor, labelSmoothing = 0): Tensor {
  const c = logits.shape[1];
  if (c === undefined || target.rank !== logits.rank - 1 || target.shape.some((d, i) => d !== logits.shape[i === 0 ? 0 : i + 1])) {
    throw new OpenMindError(`crossEntropy: logits [${logits.shape}] need targets [N, ...spatial], got [${target.shape}]`);
  }
  if (target.dtype !== 'int32') throw new OpenMindError(`crossEntropy: targets must be int32, got ${target.dtype}`);
  const logp = logSoftmax(logits, 1);
  const classes = reshape(arange(c, { engine: logits.engine }), [1, c, ...target.shape.slice(1).map(() => 1)]);
  const onehot = classes.equal(reshape(target, [target.shape[0]!, 1, ...target.shape.slice(1)])).cast('float32');
  const picked = sum(onehot.mul(logp), 1);
  const nll = picked.neg();
  if (labelSmoothing === 0) return mean(nll);
  const uniform = mean(logp, 1).neg();
  return mean(nll.mul(1 - labelSmoothing).add(uniform.mul(labelSmoothing)));
}

/** Mean squared error; with `mask`, the mean over voxels where mask is 1 (broadcast to the inputs). */
export function mse(prediction: Tensor, target: Tensor, mask?: Tensor): Tensor {
  const sq = prediction.sub(target).square();
  if (!mask) return mean(sq);
  const m = mask.dtype === 'float32' ? mask : mask.cast('float32');
  const weighted = sq.mul(m);
  const count = sum(expand(m, sq.shape)).maximum(1);
  return sum(weighted).div(count);
}

/** Mean absolute error. */
export function l1(prediction: Tensor, target: Tensor): Tensor {
  return mean(prediction.sub(target).abs());
}

/** Cosine similarity along `axis`: a·b / (max(‖a‖, eps)·max(‖b‖, eps)), as PyTorch computes it. */
export function cosineSimilarity(a: Tensor, b: Tensor, axis = -1, eps = 1e-8): Tensor {
  const dot = sum(a.mul(b), axis);
  const na = sum(a.square(), axis).sqrt().maximum(eps);
  const nb = sum(b.square(), axis).sqrt().maximum(eps);
  return dot.div(na.mul(nb));
}
