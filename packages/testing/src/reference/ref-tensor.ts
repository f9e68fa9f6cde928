import type { DType, KernelHandle, Shape } from '@openmind-ssl/core';

/**
 * The reference backend's handle: the values of every dtype live in a Float64Array. float32 tensors keep
 * full float64 precision between kernels (they are rounded to float32 only on read); int32 and uint8
 * values are integers and stored exactly.
 */
export class RefTensor implements KernelHandle {
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    readonly values: Float64Array,
  ) {}
}

/**
 * Brings float64 results into the value set of `dtype`, the way a cast does: float32 stays float64
 * (the oracle keeps the extra precision), int32 truncates toward zero and wraps to 32 bits, uint8
 * truncates and wraps modulo 256.
 */
export function toDTypeValues(values: Float64Array, dtype: DType): Float64Array {
  if (dtype === 'float32') return values;
  for (let i = 0; i < values.length; i++) {
    const t = Math.trunc(values[i]!);
    const v = Number.isFinite(t) ? t : 0;
    values[i] = dtype === 'int32' ? v | 0 : ((v % 256) + 256) % 256;
  }
  return values;
}
