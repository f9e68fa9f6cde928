import type { BinaryOp, DType, UnaryOp } from '@openmind-ssl/core';
import { broadcastShapes, sizeOf } from '@openmind-ssl/core';
import { erf } from './erf.js';
import { broadcastIndexer } from './indexing.js';
import { RefTensor, toDTypeValues } from './ref-tensor.js';

/** Rounds half to even, as PyTorch, NumPy and tfjs `round` do (Math.round rounds half up). */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  const r = d < 0.5 || (d === 0.5 && f % 2 === 0) ? f : f + 1;
  return r === 0 && x < 0 ? -0 : r; // keep the sign of zero, as PyTorch does for round(-0.4)
}

const UNARY: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  erf,
  relu: (x) => (x > 0 ? x : 0),
  sin: Math.sin,
  cos: Math.cos,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  square: (x) => x * x,
};

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: Math.max,
  minimum: Math.min,
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
};

const COMPARISONS = new Set<BinaryOp>(['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual']);

export function unary(op: UnaryOp, x: RefTensor): RefTensor {
  const f = UNARY[op];
  return new RefTensor(x.shape, x.dtype, toDTypeValues(x.values.map(f), x.dtype));
}

/** Integer dtypes compute in float64 and truncate the result (so int32 `div` truncates toward zero). */
export function binary(op: BinaryOp, a: RefTensor, b: RefTensor): RefTensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  const ia = broadcastIndexer(a.shape, shape);
  const ib = broadcastIndexer(b.shape, shape);
  const f = BINARY[op];
  const out = new Float64Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = f(a.values[ia(i)]!, b.values[ib(i)]!);
  const dtype: DType = COMPARISONS.has(op) ? 'uint8' : a.dtype;
  return new RefTensor(shape, dtype, toDTypeValues(out, dtype));
}

export function where(cond: RefTensor, a: RefTensor, b: RefTensor): RefTensor {
  const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, 'where'), b.shape, 'where');
  const ic = broadcastIndexer(cond.shape, shape);
  const ia = broadcastIndexer(a.shape, shape);
  const ib = broadcastIndexer(b.shape, shape);
  const out = new Float64Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = cond.values[ic(i)] !== 0 ? a.values[ia(i)]! : b.values[ib(i)]!;
  return new RefTensor(shape, a.dtype, out);
}

/** float → int truncates toward zero; to uint8 wraps modulo 256; int → float is exact. */
export function cast(x: RefTensor, dtype: DType): RefTensor {
  return new RefTensor(x.shape, dtype, toDTypeValues(Float64Array.from(x.values), dtype));
}
