import type { BinaryOp, DType, Rng, Shape, UnaryOp } from '@openmind-ssl/core';
import { ARITHMETIC_OPS, COMPARISON_OPS, UNARY_OPS } from '@openmind-ssl/core';
import type { HostTensor, KernelCase } from '../kernel-case.js';
import { kernelCase } from '../kernel-case.js';
import { ints, pick, randn, uniform } from './generators.js';

/** Inputs inside each function's domain and where float32 stays well conditioned. */
const UNARY_INPUT: Record<UnaryOp, (rng: Rng, shape: Shape) => HostTensor> = {
  neg: (rng, s) => randn(rng, s, 2),
  abs: (rng, s) => randn(rng, s, 2),
  sign: (rng, s) => pick(rng, s, [-2.5, -1, -1e-3, 0, 0, 1e-3, 0.5, 3]),
  exp: (rng, s) => uniform(rng, s, -4, 4),
  log: (rng, s) => uniform(rng, s, 0.05, 5),
  sqrt: (rng, s) => uniform(rng, s, 0, 5),
  rsqrt: (rng, s) => uniform(rng, s, 0.1, 5),
  reciprocal: (rng, s) => {
    const t = uniform(rng, s, 0.2, 3);
    return { ...t, data: t.data.map((v) => (rng.bernoulli(0.5) ? -v : v)) };
  },
  sigmoid: (rng, s) => uniform(rng, s, -8, 8),
  tanh: (rng, s) => uniform(rng, s, -4, 4),
  erf: (rng, s) => uniform(rng, s, -4, 4),
  relu: (rng, s) => randn(rng, s),
  sin: (rng, s) => uniform(rng, s, -6, 6),
  cos: (rng, s) => uniform(rng, s, -6, 6),
  floor: (rng, s) => uniform(rng, s, -5, 5),
  ceil: (rng, s) => uniform(rng, s, -5, 5),
  // Half the values are exact halves: `round` rounds half to even (PyTorch, NumPy and tfjs agree).
  round: (rng, s) => {
    const halves = pick(rng, s, [-3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5]).data;
    const other = uniform(rng, s, -5, 5).data;
    return { shape: s, dtype: 'float32', data: other.map((v, i) => (i % 2 === 0 ? halves[i]! : v)) };
  },
  square: (rng, s) => randn(rng, s, 2),
};

function unaryCase(op: UnaryOp, variant: string, shape: Shape): KernelCase {
  return kernelCase('unary', `${op}/${variant}`, (rng) => ({
    inputs: [UNARY_INPUT[op](rng, shape)],
    run: (b, [x]) => b.unary(op, x!),
  }));
}

/** Float operands for each op; division and pow keep away from 0 and negative bases. */
function binaryOperand(op: BinaryOp, rng: Rng, shape: Shape, side: 'a' | 'b', dtype: DType): HostTensor {
  if (dtype !== 'float32') return ints(rng, shape, dtype === 'uint8' ? 0 : -4, 5, dtype);
  if ((COMPARISON_OPS as readonly string[]).includes(op)) return pick(rng, shape, [-1.5, -1, 0, 0.25, 1, 2]);
  if (op === 'div' && side === 'b') return uniform(rng, shape, 0.25, 3);
  if (op === 'pow') return side === 'a' ? uniform(rng, shape, 0.1, 3) : uniform(rng, shape, -2, 2);
  return randn(rng, shape);
}

function binaryCase(op: BinaryOp, variant: string, aShape: Shape, bShape: Shape, dtype: DType = 'float32'): KernelCase {
  return kernelCase('binary', `${op}/${variant}`, (rng) => ({
    inputs: [binaryOperand(op, rng, aShape, 'a', dtype), binaryOperand(op, rng, bShape, 'b', dtype)],
    run: (b, [x, y]) => b.binary(op, x!, y!),
  }));
}

export const ELEMENTWISE_CASES: readonly KernelCase[] = [
  ...UNARY_OPS.map((op) => unaryCase(op, 'odd-size', [3, 5, 7])),
  unaryCase('exp', 'zero-size', [2, 0, 3]),
  unaryCase('tanh', 'scalar', []),
  unaryCase('relu', 'ncdhw', [1, 2, 4, 4, 4]),

  ...ARITHMETIC_OPS.map((op) => binaryCase(op, 'same-shape', [2, 3, 4], [2, 3, 4])),
  ...ARITHMETIC_OPS.map((op) => binaryCase(op, 'broadcast-both', [2, 1, 5], [3, 1])),
  ...COMPARISON_OPS.map((op) => binaryCase(op, 'broadcast-ties', [3, 4], [4])),
  binaryCase('add', 'broadcast-row', [3, 4], [4]),
  binaryCase('mul', 'broadcast-channel', [2, 3, 4, 4, 4], [1, 3, 1, 1, 1]),
  binaryCase('sub', 'scalar-operand', [2, 3], []),
  binaryCase('div', 'scalar-numerator', [], [4, 3]),
  binaryCase('add', 'zero-size', [0, 3], [1, 3]),
  binaryCase('maximum', 'size-1-dims', [1, 1, 7], [5, 1, 1]),
  kernelCase('binary', 'pow/negative-base-integer-exponent', (rng) => ({
    inputs: [uniform(rng, [4, 5], -3, 3), pick(rng, [4, 5], [0, 1, 2, 3])],
    run: (b, [x, y]) => b.binary('pow', x!, y!),
  })),
  ...(['add', 'sub', 'mul', 'maximum', 'minimum'] as const).map((op) => binaryCase(op, 'int32', [3, 4], [1, 4], 'int32')),
  binaryCase('less', 'int32', [3, 4], [3, 1], 'int32'),
  binaryCase('equal', 'uint8', [5, 4], [4], 'uint8'),

  kernelCase('where', 'same-shape', (rng) => ({
    inputs: [ints(rng, [3, 4, 5], 0, 2, 'uint8'), randn(rng, [3, 4, 5]), randn(rng, [3, 4, 5])],
    run: (b, [c, x, y]) => b.where(c!, x!, y!),
  })),
  kernelCase('where', 'broadcast', (rng) => ({
    inputs: [ints(rng, [3, 1], 0, 2, 'uint8'), randn(rng, [1, 4]), randn(rng, [])],
    run: (b, [c, x, y]) => b.where(c!, x!, y!),
  })),
  kernelCase('where', 'int32', (rng) => ({
    inputs: [ints(rng, [6], 0, 2, 'uint8'), ints(rng, [6], -9, 9), ints(rng, [6], -9, 9)],
    run: (b, [c, x, y]) => b.where(c!, x!, y!),
  })),

  castCase('float32-to-int32-truncates', uniform, 'int32', -9.9, 9.9),
  castCase('float32-to-uint8', uniform, 'uint8', 0, 255.9),
  castCase('int32-to-float32', ints, 'float32', -1000, 1000),
  castCase('uint8-to-float32', (rng, s, lo, hi) => ints(rng, s, lo, hi, 'uint8'), 'float32', 0, 256),
  castCase('uint8-to-int32', (rng, s, lo, hi) => ints(rng, s, lo, hi, 'uint8'), 'int32', 0, 256),
  castCase('int32-to-uint8', ints, 'uint8', 0, 256),
];

function castCase(
  variant: string, gen: (rng: Rng, shape: Shape, low: number, high: number) => HostTensor, to: DType, low: number, high: number,
): KernelCase {
  return kernelCase('cast', variant, (rng) => ({
    inputs: [gen(rng, [4, 6], low, high)],
    run: (b, [x]) => b.cast(x!, to),
  }));
}

