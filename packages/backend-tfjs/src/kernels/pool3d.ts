import type { Pool3DAttrs } from '@openmind-ssl/core';
import * as tf from '@tensorflow/tfjs-core';
import { padSpatial } from './conv-layout.js';
import type { KernelEnv } from './kernel-env.js';

/**
 * Views [N, C, D, H, W] as [N·C, D, H, W, 1]: pooling treats every channel alike, so this reshape
 * replaces the NDHWC transpose that tfjs would otherwise need.
 */
export function channelsAsBatch(x: tf.Tensor): tf.Tensor5D {
  const [n, c, d, h, w] = x.shape as [number, number, number, number, number];
  return tf.reshape(x, [n * c, d, h, w, 1]);
}

/**
 * Max or average pooling with PyTorch semantics (kernel-types.ts). Average pads zeros explicitly and
 * pools 'valid', so it always divides by the full window (tfjs' own padded average leaves the padding
 * out of the divisor). Max pads with −∞, which the pure-JS kernel does by itself for a uniform padding.
 */
export function pool3dKernel(x: tf.Tensor, attrs: Pool3DAttrs, env: KernelEnv): tf.Tensor {
  const [n, c] = x.shape as [number, number];
  const { kernelSize, stride, padding, mode } = attrs;
  const xb = channelsAsBatch(x);
  let y: tf.Tensor5D;
  if (mode === 'max' && env.numericPadding && padding.every((p) => p === padding[0])) {
    y = tf.maxPool3d(xb, [...kernelSize], [...stride], padding[0]);
  } else {
    const xp = padSpatial(xb, padding, mode === 'max' ? -Infinity : 0);
    y = (mode === 'max' ? tf.maxPool3d : tf.avgPool3d)(xp, [...kernelSize], [...stride], 'valid');
  }
  const [, od, oh, ow] = y.shape;
  return tf.reshape(y, [n, c, od, oh, ow]);
}
