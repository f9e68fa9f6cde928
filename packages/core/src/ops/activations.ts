import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { erf, where } from './elementwise.js';
import { max, sum } from './reduce.js';

/** max(x, 0) + slope·min(x, 0); PyTorch's default slope is 0.01. */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  return where(x.greater(0), x, x.mul(slope));
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
