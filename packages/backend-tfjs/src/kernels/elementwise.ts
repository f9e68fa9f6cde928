import type { BinaryOp, DType, UnaryOp } from '@openmind-ssl/core';
import * as tf from '@tensorflow/tfjs-core';
import { toDType } from '../tfjs-handle.js';

const UNARY: Record<UnaryOp, (x: tf.Tensor) => tf.Tensor> = {
  neg: tf.neg,
  abs: tf.abs,
  sign: tf.sign,
  exp: tf.exp,
  log: tf.log,
  sqrt: tf.sqrt,
  rsqrt: tf.rsqrt,
  reciprocal: tf.reciprocal,
  sigmoid: tf.sigmoid,
  tanh: tf.tanh,
  erf: tf.erf,
  relu: tf.relu,
  sin: tf.sin,
  cos: tf.cos,
  floor: tf.floor,
  ceil: tf.ceil,
  round: tf.round,
  square: tf.square,
};

type Binary = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

const ARITHMETIC: Record<Exclude<BinaryOp, ComparisonName>, Binary> = {
  add: tf.add,
  sub: tf.sub,
  mul: tf.mul,
  div: tf.div,
  pow: tf.pow,
  maximum: tf.maximum,
  minimum: tf.minimum,
};

type ComparisonName = 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual';
const COMPARISON: Record<ComparisonName, Binary> = {
  equal: tf.equal,
  notEqual: tf.notEqual,
  less: tf.less,
  lessEqual: tf.lessEqual,
  greater: tf.greater,
  greaterEqual: tf.greaterEqual,
};

/**
 * Integer division truncating toward zero (C, and the reference backend). tfjs `div` floors for int32,
 * so one is added back where the signs differ and the division was inexact.
 */
function truncDiv(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const q = tf.floorDiv(a, b);
  const inexact = tf.notEqual(tf.mul(q, b), a);
  const signsDiffer = tf.notEqual(tf.less(a, 0), tf.less(b, 0));
  return tf.add(q, tf.cast(tf.logicalAnd(inexact, signsDiffer), 'int32'));
}

/** Applies a unary op; integer inputs get integer results (truncated), as a cast would give. */
export function unaryKernel(op: UnaryOp, x: tf.Tensor, dtype: DType): tf.Tensor {
  return toDType(UNARY[op](x), dtype);
}

/** The dtype of a binary op's result: uint8 for comparisons, else the inputs' dtype. */
export function binaryResultDType(op: BinaryOp, dtype: DType): DType {
  return op in COMPARISON ? 'uint8' : dtype;
}

/** Broadcasting binary op; comparisons give uint8 (stored int32) 0/1. Both inputs share `dtype`. */
export function binaryKernel(op: BinaryOp, a: tf.Tensor, b: tf.Tensor, dtype: DType): tf.Tensor {
  if (op in COMPARISON) return tf.cast(COMPARISON[op as ComparisonName](a, b), 'int32');
  const arith = op as keyof typeof ARITHMETIC;
  const out = arith === 'div' && dtype !== 'float32' ? truncDiv(a, b) : ARITHMETIC[arith](a, b);
  return toDType(out, dtype);
}

/** cond ? a : b with broadcasting; cond is any integer tensor (non-zero is true). */
export function whereKernel(cond: tf.Tensor, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.where(tf.cast(cond, 'bool'), a, b);
}

/** float → int truncates toward zero, → uint8 then wraps modulo 256; int → float is exact. */
export function castKernel(x: tf.Tensor, dtype: DType): tf.Tensor {
  return toDType(x, dtype);
}
