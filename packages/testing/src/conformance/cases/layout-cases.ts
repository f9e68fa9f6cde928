import type { DType, Rng, Shape } from '@openmind-ssl/core';
import type { HostTensor, KernelCase } from '../kernel-case.js';
import { kernelCase } from '../kernel-case.js';
import { ints, randn } from './generators.js';

/** Data movement must not change a single bit, so every layout case compares exactly. */
function values(rng: Rng, shape: Shape, dtype: DType = 'float32'): HostTensor {
  return dtype === 'float32' ? randn(rng, shape) : ints(rng, shape, 0, 100, dtype);
}

function indices(list: readonly number[]): HostTensor {
  return { shape: [list.length], dtype: 'int32', data: Int32Array.from(list) };
}

export const LAYOUT_CASES: readonly KernelCase[] = [
  ...([
    ['merge-leading', [2, 3, 4], [6, 4], 'float32'],
    ['flatten', [2, 3, 4], [24], 'float32'],
    ['split-int32', [12], [3, 1, 4], 'int32'],
    ['zero-size', [0, 3], [3, 0], 'float32'],
  ] as const).map(([variant, from, to, dtype]) => kernelCase('reshape', variant, (rng) => ({
    inputs: [values(rng, from, dtype)], run: (b, [x]) => b.reshape(x!, to), exact: true,
  }))),

  ...([
    ['rotate-3d', [2, 3, 4], [2, 0, 1], 'float32'],
    ['ncdhw-to-ndhwc', [2, 3, 2, 3, 4], [0, 2, 3, 4, 1], 'float32'],
    ['matrix', [5, 7], [1, 0], 'float32'],
    ['uint8', [2, 3, 4], [1, 2, 0], 'uint8'],
  ] as const).map(([variant, shape, perm, dtype]) => kernelCase('transpose', variant, (rng) => ({
    inputs: [values(rng, shape, dtype)], run: (b, [x]) => b.transpose(x!, perm), exact: true,
  }))),

  ...([
    ['column', [3, 1], [3, 4], 'float32'],
    ['leading-axes', [1, 1, 2], [4, 3, 2], 'float32'],
    ['channel-vector', [1, 3, 1, 1, 1], [2, 3, 2, 2, 2], 'float32'],
    ['int32', [2, 1], [2, 5], 'int32'],
  ] as const).map(([variant, from, to, dtype]) => kernelCase('expand', variant, (rng) => ({
    inputs: [values(rng, from, dtype)], run: (b, [x]) => b.expand(x!, to), exact: true,
  }))),

  ...([
    ['box-3d', [5, 6, 7], [1, 0, 2], [3, 6, 4]],
    ['ncdhw-crop', [2, 3, 5, 5, 5], [1, 0, 1, 2, 0], [1, 3, 3, 2, 5]],
    ['zero-size', [4, 5], [2, 1], [0, 3]],
  ] as const).map(([variant, shape, begin, size]) => kernelCase('slice', variant, (rng) => ({
    inputs: [values(rng, shape)], run: (b, [x]) => b.slice(x!, begin, size), exact: true,
  }))),

  ...([
    ['zeros-2d', [2, 3], [[1, 2], [0, 3]], 0],
    ['negative-value', [3, 2], [[0, 1], [2, 0]], -1.5],
    ['ncdhw-spatial', [1, 2, 3, 3, 3], [[0, 0], [0, 0], [1, 1], [0, 2], [2, 0]], 0],
    ['zero-size-input', [0, 2], [[1, 1], [0, 0]], 7],
  ] as const).map(([variant, shape, pads, value]) => kernelCase('pad', variant, (rng) => ({
    inputs: [values(rng, shape)], run: (b, [x]) => b.pad(x!, pads, value), exact: true,
  }))),

  ...([
    ['axis1-three', [[2, 1, 3], [2, 4, 3], [2, 2, 3]], 1, 'float32'],
    ['axis0', [[1, 4], [3, 4]], 0, 'float32'],
    ['with-zero-size-part', [[2, 0], [2, 3], [2, 1]], 1, 'float32'],
    ['ncdhw-channels', [[1, 2, 2, 3, 2], [1, 1, 2, 3, 2]], 1, 'float32'],
    ['int32-last-axis', [[3, 2], [3, 3]], 1, 'int32'],
  ] as const).map(([variant, shapes, axis, dtype]) => kernelCase('concat', variant, (rng) => ({
    inputs: shapes.map((s) => values(rng, s, dtype)), run: (b, xs) => b.concat(xs, axis), exact: true,
  }))),

  ...([
    ['axis0-repeated', [4, 3], [3, 0, 3, 1, 3], 0, 'float32'],
    ['middle-axis', [3, 5, 2], [4, 0, 2], 1, 'float32'],
    ['empty-indices', [3, 4], [], 1, 'float32'],
    ['int32', [5, 2], [1, 4], 0, 'int32'],
  ] as const).map(([variant, shape, idx, axis, dtype]) => kernelCase('gather', variant, (rng) => ({
    inputs: [values(rng, shape, dtype), indices(idx)], run: (b, [x, i]) => b.gather(x!, i!, axis), exact: true,
  }))),

  // Not exact: repeated indices sum in an order the contract leaves open.
  ...([
    ['axis0-repeated-accumulate', [5, 3], [1, 4, 1, 1, 0], 0, [5, 3]],
    ['last-axis', [2, 3], [2, 0, 5], 1, [2, 6]],
    ['ncdhw-channel', [1, 3, 2, 2, 2], [1, 1, 0], 1, [1, 2, 2, 2, 2]],
  ] as const).map(([variant, updates, idx, axis, shape]) => kernelCase('scatterAdd', variant, (rng) => ({
    inputs: [values(rng, updates), indices(idx)], run: (b, [u, i]) => b.scatterAdd(u!, i!, axis, shape),
  }))),
];
