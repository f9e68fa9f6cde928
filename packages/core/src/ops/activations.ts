import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/grad-node.js';
import { erf, maximum, relu, where } from './elementwise.js';
import { max, sum } from './reduce.js';

/**
 * max(x, 0) + slope·min(x, 0); PyTorch's default slope is 0.01.
 *
 * For 0 < slope ≤ 1 this is max(x, slope·x), and its gradient dy·(y > 0 ? 1 : slope) reads the output,
 * which the next layer usually keeps anyway: two cheap element-wise passes forward and four narrow ones
 * backward, where a select-based form costs a slow `where` each way and keeps a mask alive.
 */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  if (slope === 0) return relu(x);
  if (!(slope > 0 && slope <= 1)) return where(x.greater(0), x, x.mul(slope));
  const y = x.engine.tidy(() => x.engine.noGrad(() => maximum(x, x.mul(slope))));
  // slope > 0 keeps the sign, so y > 0 exactly where x > 0 (x = 0 takes the slope, as in PyTorch).
  return record(y, 'leakyRelu', [x], (dy) => [dy.mul(y.greater(0).cast('float32').maximum(slope))]);
}

/** GELU with the exact erf form: x·Φ(x). */
export function gelu(x: Tensor): Tensor {
  return x.mul(erf(x.mul(Math.SQRT1_2)).add(1)).mul(0.5);
}

/** x·sigmoid(x). */
export function silu(x: Tensor): Tensor {
  return x.mul(x.sigmoid());
}

/** log(softmax(x)) along `axis`, computed stably (the max is subtracted first and gets no gradient). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const a = normalizeAxis(axis, x.rank, 'logSoftmax');
  const m = x.engine.noGrad(() => max(x, a, true));
  const shifted = x.sub(m);
  return shifted.sub(sum(shifted.exp(), a, true).log());
}

/** softmax along `axis`. */
export function softmax(x: Tensor, axis = -1): Tensor {
  return logSoftmax(x, axis).exp();
}
