import type { ReduceOp } from '@openmind-ssl/core';
import { reducedShape, sizeOf, stridesOf } from '@openmind-ssl/core';
import { ravel, unravel } from './indexing.js';
import { RefTensor, toDTypeValues } from './ref-tensor.js';

const INITIAL: Record<ReduceOp, number> = { sum: 0, max: -Infinity, min: Infinity };
const COMBINE: Record<ReduceOp, (acc: number, v: number) => number> = {
  sum: (acc, v) => acc + v,
  max: Math.max,
  min: Math.min,
};

/** Reduces `axes`, keeping them as size 1. An empty reduction gives the op's identity (0, −∞, +∞). */
export function reduce(op: ReduceOp, x: RefTensor, axes: readonly number[]): RefTensor {
  const shape = reducedShape(x.shape, axes);
  const outStrides = stridesOf(shape);
  const out = new Float64Array(sizeOf(shape)).fill(INITIAL[op]);
  const combine = COMBINE[op];
  for (let i = 0; i < x.values.length; i++) {
    const idx = unravel(i, x.shape);
    for (const a of axes) idx[a] = 0;
    const o = ravel(idx, outStrides);
    out[o] = combine(out[o]!, x.values[i]!);
  }
  return new RefTensor(shape, x.dtype, toDTypeValues(out, x.dtype));
}

/** Index of the first largest value along `axis`, int32, the axis kept as size 1. */
export function argMax(x: RefTensor, axis: number): RefTensor {
  const shape = reducedShape(x.shape, [axis]);
  const inStrides = stridesOf(x.shape);
  const n = x.shape[axis]!;
  const out = new Float64Array(sizeOf(shape));
  for (let o = 0; o < out.length; o++) {
    const base = ravel(unravel(o, shape), inStrides);
    let best = 0;
    for (let j = 1; j < n; j++) {
      if (x.values[base + j * inStrides[axis]!]! > x.values[base + best * inStrides[axis]!]!) best = j;
    }
    out[o] = best;
  }
  return new RefTensor(shape, 'int32', out);
}
