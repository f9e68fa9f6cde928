import type { ArithmeticOp, ComparisonOp, UnaryOp } from '../backend/kernel-types.js';
import { record } from '../autograd/grad-node.js';
import { OpenMindError } from '../errors/openmind-error.js';
import type { DType } from '../tensor/dtype.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { scalarLike } from './create.js';
import { sumTo } from './shape-ops.js';

/** Turns a number into a rank-0 tensor matching `like`, and checks two tensors can meet. */
function asTensor(x: TensorLike, like: Tensor, op: string): Tensor {
  if (typeof x === 'number') return scalarLike(like, x);
  if (x.engine !== like.engine) {
    throw new OpenMindError(`${op}: tensors live on different backends ('${like.engine.backend.name}' and '${x.engine.backend.name}')`);
  }
  return x;
}

function binaryKernel(op: ArithmeticOp | ComparisonOp, a: Tensor, b: Tensor): Tensor {
  if (a.dtype !== b.dtype) {
    throw new OpenMindError(`${op}: dtypes differ (${a.dtype} and ${b.dtype}); cast one of them first`);
  }
  broadcastShapes(a.shape, b.shape, op);
  return new Tensor(a.engine, a.engine.backend.binary(op, a.handle, b.handle));
}

/** Broadcasting arithmetic with its gradient rule; numbers become constants of `a`'s dtype. */
function arithmetic(
  op: ArithmeticOp,
  aLike: TensorLike,
  bLike: TensorLike,
  rule: (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | undefined, Tensor | undefined],
): Tensor {
  const [a, b] = operands(aLike, bLike, op);
  const y = binaryKernel(op, a, b);
  return record(y, op, [a, b], (dy) => {
    const [ga, gb] = rule(dy, a, b, y);
    // An input that needs no gradient (a constant, a frozen parameter) gets no reduction either.
    return [ga && a.needsGrad ? sumTo(ga, a.shape) : undefined, gb && b.needsGrad ? sumTo(gb, b.shape) : undefined];
  });
}

function operands(aLike: TensorLike, bLike: TensorLike, op: string): [Tensor, Tensor] {
  if (typeof aLike === 'number' && typeof bLike === 'number') {
    throw new OpenMindError(`${op}: at least one operand must be a tensor`);
  }
  const ref = (typeof aLike === 'number' ? bLike : aLike) as Tensor;
  return [asTensor(aLike, ref, op), asTensor(bLike, ref, op)];
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('add', a, b, (dy) => [dy, dy]);
}

export function sub(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('sub', a, b, (dy, _x, z) => [dy, z.needsGrad ? neg(dy) : undefined]);
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('mul', a, b, (dy, x, z) => [x.needsGrad ? dy.mul(z) : undefined, z.needsGrad ? dy.mul(x) : undefined]);
}

export function div(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('div', a, b, (dy, x, z) => [
    x.needsGrad ? dy.div(z) : undefined,
    z.needsGrad ? dy.mul(x).div(z.square()).neg() : undefined,
  ]);
}

/** a^b; the gradient with respect to b uses log(a) and is only finite for a > 0. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('pow', a, b, (dy, x, z, y) => [
    x.needsGrad ? dy.mul(z).mul(x.pow(z.sub(1))) : undefined,
    z.needsGrad ? dy.mul(y).mul(x.log()) : undefined,
  ]);
}

/** Element-wise maximum; on ties the gradient goes to `a`. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('maximum', a, b, (dy, x, z) => {
    const takeA = x.greaterEqual(z);
    return [x.needsGrad ? where(takeA, dy, 0) : undefined, z.needsGrad ? where(takeA, 0, dy) : undefined];
  });
}

/** Element-wise minimum; on ties the gradient goes to `a`. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('minimum', a, b, (dy, x, z) => {
    const takeA = x.lessEqual(z);
    return [x.needsGrad ? where(takeA, dy, 0) : undefined, z.needsGrad ? where(takeA, 0, dy) : undefined];
  });
}

function compare(op: ComparisonOp, aLike: TensorLike, bLike: TensorLike): Tensor {
  const [a, b] = operands(aLike, bLike, op);
  return binaryKernel(op, a, b);
}

export const equal = (a: TensorLike, b: TensorLike): Tensor => compare('equal', a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => compare('notEqual', a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => compare('less', a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => compare('lessEqual', a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => compare('greater', a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => compare('greaterEqual', a, b);

/**
 * cond ? a : b with broadcasting; `cond` is uint8 (as comparisons return).
 * @throws OpenMindError when cond is not uint8 or a and b differ in dtype.
 */
export function where(cond: Tensor, aLike: TensorLike, bLike: TensorLike): Tensor {
  if (cond.dtype !== 'uint8') throw new OpenMindError(`where: condition must be uint8, got ${cond.dtype}`);
  const [a, b] = operands(aLike, bLike, 'where');
  if (a.dtype !== b.dtype) throw new OpenMindError(`where: branches differ in dtype (${a.dtype} and ${b.dtype})`);
  broadcastShapes(broadcastShapes(cond.shape, a.shape, 'where'), b.shape, 'where');
  const y = new Tensor(cond.engine, cond.engine.backend.where(cond.handle, a.handle, b.handle));
  return record(y, 'where', [a, b], (dy) => [
    a.needsGrad ? sumTo(where(cond, dy, 0), a.shape) : undefined,
    b.needsGrad ? sumTo(where(cond, 0, dy), b.shape) : undefined,
  ]);
}

/** Converts dtype (float → int truncates toward zero). Gradients flow through float32 → float32 only. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) {
    const y = new Tensor(x.engine, x.engine.backend.reshape(x.handle, x.shape));
    return record(y, 'identity', [x], (dy) => [dy]);
  }
  return new Tensor(x.engine, x.engine.backend.cast(x.handle, dtype));
}

/** A copy that records no history (gradients stop here). */
export function detach(x: Tensor): Tensor {
  return new Tensor(x.engine, x.engine.backend.reshape(x.handle, x.shape));
}

function unary(op: UnaryOp, x: Tensor, rule?: (dy: Tensor, x: Tensor, y: Tensor) => Tensor): Tensor {
  if (x.dtype !== 'float32' && !['neg', 'abs', 'sign', 'square'].includes(op)) {
    throw new OpenMindError(`${op}: expected a float32 tensor, got ${x.dtype}`);
  }
  const y = new Tensor(x.engine, x.engine.backend.unary(op, x.handle));
  return rule ? record(y, op, [x], (dy) => [rule(dy, x, y)]) : y;
}

export const neg = (x: Tensor): Tensor => unary('neg', x, (dy) => neg(dy));
export const abs = (x: Tensor): Tensor => unary('abs', x, (dy, v) => dy.mul(sign(v)));
export const sign = (x: Tensor): Tensor => unary('sign', x);
export const exp = (x: Tensor): Tensor => unary('exp', x, (dy, _v, y) => dy.mul(y));
export const log = (x: Tensor): Tensor => unary('log', x, (dy, v) => dy.div(v));
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x, (dy, _v, y) => dy.div(y.mul(2)));
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x, (dy, _v, y) => dy.mul(y.pow(3)).mul(-0.5));
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x, (dy, _v, y) => dy.mul(y.square()).neg());
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x, (dy, _v, y) => dy.mul(y).mul(sub(1, y)));
export const tanh = (x: Tensor): Tensor => unary('tanh', x, (dy, _v, y) => dy.mul(sub(1, y.square())));
export const erf = (x: Tensor): Tensor =>
  unary('erf', x, (dy, v) => dy.mul(v.square().neg().exp()).mul(2 / Math.sqrt(Math.PI)));
export const relu = (x: Tensor): Tensor => unary('relu', x, (dy, v) => where(v.greater(0), dy, 0));
export const sin = (x: Tensor): Tensor => unary('sin', x, (dy, v) => dy.mul(cos(v)));
export const cos = (x: Tensor): Tensor => unary('cos', x, (dy, v) => dy.mul(sin(v)).neg());
export const floor = (x: Tensor): Tensor => unary('floor', x);
export const ceil = (x: Tensor): Tensor => unary('ceil', x);
export const round = (x: Tensor): Tensor => unary('round', x);
export const square = (x: Tensor): Tensor => unary('square', x, (dy, v) => dy.mul(v).mul(2));
