import type { DType, ReduceOp } from '@openmind-ssl/core';
import * as tf from '@tensorflow/tfjs-core';
import { toDType } from '../tfjs-handle.js';

/**
 * sum/max/min over sorted, unique axes, keeping them as size 1. An empty axis list is the identity (a copy),
 * and integer sums are brought back into their dtype (uint8 wraps modulo 256).
 */
export function reduceKernel(op: ReduceOp, x: tf.Tensor, axes: readonly number[], dtype: DType): tf.Tensor {
  if (axes.length === 0) return tf.clone(x);
  const list = [...axes];
  if (op === 'sum') return toDType(tf.sum(x, list, true), dtype);
  return op === 'max' ? tf.max(x, list, true) : tf.min(x, list, true);
}

/** Index of the first largest value along `axis`, int32, the axis kept as size 1. */
export function argMaxKernel(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.expandDims(tf.argMax(x, axis), axis);
}
