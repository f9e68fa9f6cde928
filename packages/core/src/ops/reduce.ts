import type { ReduceOp } from '../backend/kernel-types.js';
import { record } from '../autograd/grad-node.js';
import { OpenMindError } from '../errors/openmind-error.js';
import { normalizeAxes, normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { expand, reshape } from './shape-ops.js';

type Axes = number | readonly number[] | undefined;

function reduceKernel(op: ReduceOp, x: Tensor, axes: number[]): Tensor {
  return new Tensor(x.engine, x.engine.backend.reduce(op, x.handle, axes));
}

function dropAxes(y: Tensor, x: Tensor, axes: number[], keepDims: boolean): Tensor {
  return keepDims ? y : reshape(y, x.shape.filter((_, i) => !axes.includes(i)));
}

/** Sum over `axes` (default all). */
export function sum(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = normalizeAxes(axes, x.rank, 'sum');
  if (x.dtype === 'uint8') throw new OpenMindError('sum: cast uint8 to int32 or float32 first');
  const y = reduceKernel('sum', x, ax);
  record(y, 'sum', [x], (dy) => [expand(dy, x.shape)]);
  return dropAxes(y, x, ax, keepDims);
}

/** Mean over `axes` (default all). */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = normalizeAxes(axes, x.rank, 'mean');
  const count = ax.reduce((p, a) => p * x.shape[a]!, 1);
  return sum(x, ax, keepDims).div(count);
}

function extreme(op: 'max' | 'min', x: Tensor, axes: Axes, keepDims: boolean): Tensor {
  const ax = normalizeAxes(axes, x.rank, op);
  const y = reduceKernel(op, x, ax);
  // The gradient is shared evenly between tied extremes, as PyTorch's amax/amin do.
  record(y, op, [x], (dy) => {
    const hit = x.equal(expand(y, x.shape));
    const mask = hit.cast('float32');
    const ties = sum(mask, ax, true);
    return [mask.mul(expand(dy.div(ties), x.shape))];
  });
  return dropAxes(y, x, ax, keepDims);
}

export function max(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return extreme('max', x, axes, keepDims);
}

export function min(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return extreme('min', x, axes, keepDims);
}

/** Variance over `axes`; `unbiased` divides by n-1 (PyTorch's default for var()). */
export function variance(x: Tensor, axes?: Axes, keepDims = false, unbiased = false): Tensor {
  const ax = normalizeAxes(axes, x.rank, 'variance');
  const n = ax.reduce((p, a) => p * x.shape[a]!, 1);
  const centred = x.sub(mean(x, ax, true));
  return sum(centred.square(), ax, keepDims).div(unbiased ? n - 1 : n);
}

/** Index of the largest value along `axis` (first on ties), int32. */
export function argMax(x: Tensor, axis: number, keepDims = false): Tensor {
  const a = normalizeAxis(axis, x.rank, 'argMax');
  const y = new Tensor(x.engine, x.engine.backend.argMax(x.handle, a));
  return keepDims ? y : reshape(y, x.shape.filter((_, i) => i !== a));
}

