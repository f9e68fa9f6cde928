import type { BinaryOp, DType, UnaryOp } from '@openmind-ssl/core';
import { broadcastShapes } from '@openmind-ssl/core';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { LazyTensor } from '../graph/lazy-tensor.js';

/** ONNX operators that implement a unary op in one node on every dtype ORT's CPU EP supports. */
const UNARY_ONNX: Partial<Record<UnaryOp, string>> = {
  neg: 'Neg', abs: 'Abs', sign: 'Sign', exp: 'Exp', log: 'Log', sqrt: 'Sqrt', reciprocal: 'Reciprocal',
  sigmoid: 'Sigmoid', tanh: 'Tanh', erf: 'Erf', sin: 'Sin', cos: 'Cos', floor: 'Floor', ceil: 'Ceil',
  round: 'Round',
};

/** Element-wise function of one tensor; output has the input's shape and dtype. */
export function unaryKernel(b: GraphBuilder, op: UnaryOp, x: LazyTensor): LazyTensor {
  const out = { shape: x.shape, type: x.elemType };
  switch (op) {
    case 'square':
      return b.op('Mul', [x, x], [], out);
    case 'rsqrt':
      return b.op('Reciprocal', [b.op('Sqrt', [x], [], out)], [], out);
    case 'relu':
      // ORT's Relu kernel is float-only; Max with 0 covers the integer dtypes.
      return x.dtype === 'float32' ? b.op('Relu', [x], [], out) : b.op('Max', [x, b.scalar(x.elemType, 0)], [], out);
    default:
      return b.op(UNARY_ONNX[op]!, [x], [], out);
  }
}

const ARITH_ONNX: Record<string, string> = {
  add: 'Add', sub: 'Sub', mul: 'Mul', div: 'Div', pow: 'Pow', maximum: 'Max', minimum: 'Min',
};
const COMPARE_ONNX: Record<string, string> = {
  equal: 'Equal', notEqual: 'Equal', less: 'Less', lessEqual: 'LessOrEqual', greater: 'Greater',
  greaterEqual: 'GreaterOrEqual',
};

/** Casts to another ONNX type (no node when it already has that type). */
export function castTo(b: GraphBuilder, x: LazyTensor, type: LazyTensor['elemType']): LazyTensor {
  if (x.elemType === type) return x;
  return b.op('Cast', [x], [{ name: 'to', kind: 'int', value: ONNX_TYPE_ID[type] }], { shape: x.shape, type });
}
const ONNX_TYPE_ID = { float32: 1, uint8: 2, int32: 6, int64: 7, bool: 9 } as const;

/** Whether `t` is a recorded constant whose every value is `v` (a `fill`, e.g. core's number operands). */
function isConstant(t: LazyTensor, v: number): boolean {
  const n = t.node;
  if (n?.opType !== 'Constant') return false;
  const a = n.attrs[0];
  return a?.kind === 'tensor' && a.value.values.length > 0 && a.value.values.every((x) => x === v);
}

/**
 * The operand a binary op leaves unchanged, if any: x·1, 1·x, x/1 and x−0 are exactly x (including
 * NaN and −0), so no pass over x is needed (an optimizer's `g·(1 − dampening)` with dampening 0 was a
 * full pass over every gradient). x+0 is not among them: −0 + 0 is +0.
 */
function identityOperand(op: BinaryOp, a: LazyTensor, c: LazyTensor, shape: readonly number[]): LazyTensor | undefined {
  const same = (t: LazyTensor) => t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]);
  if (op === 'mul' && isConstant(c, 1) && same(a)) return a;
  if (op === 'mul' && isConstant(a, 1) && same(c)) return c;
  if ((op === 'div' && isConstant(c, 1)) || (op === 'sub' && isConstant(c, 0))) return same(a) ? a : undefined;
  return undefined;
}

/**
 * Broadcasting binary op. ORT's CPU arithmetic and comparison kernels have no uint8 variants, so uint8
 * operands are widened to int32 and arithmetic results narrowed back (wrapping, like a uint8 cast).
 */
export function binaryKernel(b: GraphBuilder, op: BinaryOp, a: LazyTensor, c: LazyTensor): LazyTensor {
  const shape = broadcastShapes(a.shape, c.shape, op);
  const unchanged = identityOperand(op, a, c, shape);
  if (unchanged !== undefined) return unchanged;
  const widen = a.elemType === 'uint8';
  const x = widen ? castTo(b, a, 'int32') : a;
  const y = widen ? castTo(b, c, 'int32') : c;
  const compare = COMPARE_ONNX[op];
  if (compare !== undefined) {
    let mask = b.op(compare, [x, y], [], { shape, type: 'bool' });
    if (op === 'notEqual') mask = b.op('Not', [mask], [], { shape, type: 'bool' });
    return castTo(b, mask, 'uint8');
  }
  const r = b.op(ARITH_ONNX[op]!, [x, y], [], { shape, type: x.elemType });
  return widen ? castTo(b, r, 'uint8') : r;
}

/** cond (uint8) ? a : b with broadcasting. */
export function whereKernel(b: GraphBuilder, cond: LazyTensor, a: LazyTensor, c: LazyTensor): LazyTensor {
  const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, 'where'), c.shape, 'where');
  return b.op('Where', [castTo(b, cond, 'bool'), a, c], [], { shape, type: a.elemType });
}

/** dtype conversion; float → integer truncates toward zero. */
export function castKernel(b: GraphBuilder, x: LazyTensor, dtype: DType): LazyTensor {
  return castTo(b, x, dtype);
}
