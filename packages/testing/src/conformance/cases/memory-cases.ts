import type { DType, Shape } from '@openmind-ssl/core';
import type { KernelCase } from '../kernel-case.js';
import { kernelCase } from '../kernel-case.js';
import { ints, randn } from './generators.js';

/**
 * Upload/read round trips (the value read back is the value uploaded, bit for bit, with the dtype's own
 * array type) and `fill`. Their `run` returns the uploaded handle itself.
 */
export const MEMORY_CASES: readonly KernelCase[] = [
  kernelCase('upload', 'float32-round-trip', (rng) => ({ inputs: [randn(rng, [3, 4, 5])], run: (_, [x]) => x!, exact: true })),
  kernelCase('upload', 'float32-special-values', () => ({
    inputs: [{
      shape: [7], dtype: 'float32',
      data: Float32Array.of(0, -0, Infinity, -Infinity, NaN, 3.4028234663852886e38, 1.401298464324817e-45),
    }],
    run: (_, [x]) => x!,
    exact: true,
  })),
  kernelCase('upload', 'int32-round-trip', (rng) => ({
    inputs: [{ shape: [2, 9], dtype: 'int32', data: Int32Array.of(...ints(rng, [16], -1000, 1000).data, 2147483647, -2147483648) }],
    run: (_, [x]) => x!,
    exact: true,
  })),
  kernelCase('upload', 'uint8-round-trip', (rng) => ({ inputs: [ints(rng, [4, 8], 0, 256, 'uint8')], run: (_, [x]) => x!, exact: true })),
  kernelCase('upload', 'zero-size', () => ({
    inputs: [{ shape: [2, 0, 3], dtype: 'float32', data: new Float32Array(0) }], run: (_, [x]) => x!, exact: true,
  })),
  kernelCase('upload', 'scalar', () => ({
    inputs: [{ shape: [], dtype: 'float32', data: Float32Array.of(-2.5) }], run: (_, [x]) => x!, exact: true,
  })),
  ...([
    ['float32', [2, 3, 4], 'float32', 0.1],
    ['float32-scalar', [], 'float32', -3.25],
    ['int32', [5, 2], 'int32', -7],
    ['uint8', [3, 3], 'uint8', 255],
    ['zero-size', [0, 4], 'float32', 1],
  ] as [string, Shape, DType, number][]).map(([variant, shape, dtype, value]) => kernelCase('fill', variant, () => ({
    inputs: [], run: (b) => b.fill(shape, dtype, value), exact: true,
  }))),
];
