import type { DType, Rng, Shape } from '@openmind-ssl/core';
import { sizeOf, toHostArray } from '@openmind-ssl/core';
import type { HostTensor } from '../kernel-case.js';

/** Normal(0, std²) float32 values. */
export function randn(rng: Rng, shape: Shape, std = 1): HostTensor {
  return { shape, dtype: 'float32', data: rng.fillNormal(new Float32Array(sizeOf(shape)), 0, std) };
}

/** Uniform float32 values in [low, high). */
export function uniform(rng: Rng, shape: Shape, low: number, high: number): HostTensor {
  return { shape, dtype: 'float32', data: rng.fillUniform(new Float32Array(sizeOf(shape)), low, high) };
}

/** Uniform integers in [low, high) of any dtype (small ranges make ties and equal pairs likely). */
export function ints(rng: Rng, shape: Shape, low: number, high: number, dtype: DType = 'int32'): HostTensor {
  const values = Array.from({ length: sizeOf(shape) }, () => rng.int(low, high));
  return { shape, dtype, data: toHostArray(values, dtype) };
}

/** Values picked from a fixed list, e.g. exact halves for rounding. */
export function pick(rng: Rng, shape: Shape, choices: readonly number[]): HostTensor {
  const values = Array.from({ length: sizeOf(shape) }, () => choices[rng.int(0, choices.length)]!);
  return { shape, dtype: 'float32', data: Float32Array.from(values) };
}

/** Conv/matmul weights with std 1/√fanIn, so outputs stay O(1) and the absolute tolerance stays meaningful. */
export function weights(rng: Rng, shape: Shape, fanIn: number): HostTensor {
  return randn(rng, shape, 1 / Math.sqrt(Math.max(1, fanIn)));
}
