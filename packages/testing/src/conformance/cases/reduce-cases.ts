import type { DType, ReduceOp, Shape } from '@openmind-ssl/core';
import type { KernelCase } from '../kernel-case.js';
import { kernelCase } from '../kernel-case.js';
import { ints, pick, randn, weights } from './generators.js';

function reduceCase(op: ReduceOp, variant: string, shape: Shape, axes: number[], dtype: DType = 'float32'): KernelCase {
  return kernelCase('reduce', `${op}/${variant}`, (rng) => ({
    inputs: [dtype === 'float32' ? randn(rng, shape) : ints(rng, shape, -50, 50, dtype)],
    run: (b, [x]) => b.reduce(op, x!, axes),
  }));
}

function argMaxCase(variant: string, shape: Shape, axis: number, ties = false): KernelCase {
  return kernelCase('argMax', variant, (rng) => ({
    // With ties the first maximum must win (PyTorch and tfjs agree).
    inputs: [ties ? pick(rng, shape, [0, 1, 2]) : randn(rng, shape)],
    run: (b, [x]) => b.argMax(x!, axis),
  }));
}

function matmulCase(variant: string, batch: number, m: number, k: number, n: number, ta: boolean, tb: boolean): KernelCase {
  return kernelCase('matmul', variant, (rng) => ({
    inputs: [
      randn(rng, ta ? [batch, k, m] : [batch, m, k]),
      weights(rng, tb ? [batch, n, k] : [batch, k, n], k),
    ],
    run: (b, [x, y]) => b.matmul(x!, y!, ta, tb),
  }));
}

export const REDUCE_CASES: readonly KernelCase[] = [
  reduceCase('sum', 'all-axes', [3, 4, 5], [0, 1, 2]),
  reduceCase('sum', 'inner-axes', [2, 3, 4, 5], [1, 3]),
  reduceCase('sum', 'ncdhw-spatial', [2, 3, 4, 5, 3], [2, 3, 4]),
  reduceCase('sum', 'size-1-axis', [3, 1, 4], [1]),
  reduceCase('sum', 'zero-size-axis', [0, 4], [0]),
  reduceCase('sum', 'int32', [4, 6], [1], 'int32'),
  reduceCase('max', 'last-axis', [4, 7], [1]),
  reduceCase('max', 'ncdhw-channel', [2, 5, 3, 3, 3], [1]),
  reduceCase('max', 'int32', [5, 3], [0], 'int32'),
  reduceCase('min', 'first-axis', [5, 3], [0]),
  reduceCase('min', 'two-axes', [3, 4, 5], [0, 2]),

  argMaxCase('last-axis', [4, 6], 1),
  argMaxCase('first-axis', [6, 3], 0),
  argMaxCase('ncdhw-channel', [2, 4, 3, 3, 3], 1),
  argMaxCase('ties-first-wins', [5, 7], 1, true),

  matmulCase('plain', 2, 3, 4, 5, false, false),
  matmulCase('transpose-a', 2, 3, 4, 5, true, false),
  matmulCase('transpose-b', 2, 3, 4, 5, false, true),
  matmulCase('transpose-both', 3, 2, 6, 4, true, true),
  matmulCase('odd-sizes', 1, 7, 13, 1, false, false),
  matmulCase('zero-inner', 1, 3, 0, 2, false, false),
];
