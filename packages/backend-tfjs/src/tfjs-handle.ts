import type { DType, KernelHandle, Shape } from '@openmind-ssl/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A tfjs backend handle: a `tf.Tensor` plus the dtype core sees. tfjs has no uint8, so uint8 values live
 * in an int32 tensor holding 0..255 and only the handle says 'uint8'.
 */
export class TfjsHandle implements KernelHandle {
  readonly shape: Shape;

  constructor(
    readonly tensor: tf.Tensor,
    readonly dtype: DType,
  ) {
    this.shape = tensor.shape.slice();
  }
}

/** The tfjs dtype that stores a core dtype. */
export function storageDType(dtype: DType): 'float32' | 'int32' {
  return dtype === 'float32' ? 'float32' : 'int32';
}

/**
 * Brings a tfjs result into the value set of `dtype`, as a cast would: float results truncate to
 * integers (tfjs int32 math may hand back float32, e.g. sqrt), and uint8 wraps modulo 256.
 */
export function toDType(t: tf.Tensor, dtype: DType): tf.Tensor {
  if (dtype === 'float32') return t.dtype === 'float32' ? t : tf.cast(t, 'float32');
  const asInt = t.dtype === 'int32' ? t : tf.cast(t, 'int32');
  return dtype === 'uint8' ? tf.mod(asInt, tf.scalar(256, 'int32')) : asInt;
}
