import type { Conv3DAttrs } from '@openmind-ssl/core';
import * as tf from '@tensorflow/tfjs-core';
import { dilateFilter, effectiveKernel, padSpatial, tfPadding, toNcdhw, toNdhwc, toTfFilter } from './conv-layout.js';
import type { KernelEnv } from './kernel-env.js';
import { tfConv3d } from './tf-conv-kernels.js';

/**
 * Splits the last axis of `a` and of `b` (NDHWC channels, or a tfjs filter's output axis) into `groups`
 * parts, runs `f` on each pair and joins the results on the last axis. tfjs convolutions have no groups.
 */
export function perGroup(
  groups: number, a: tf.Tensor5D, b: tf.Tensor5D, f: (a: tf.Tensor5D, b: tf.Tensor5D) => tf.Tensor5D,
): tf.Tensor5D {
  if (groups === 1) return f(a, b);
  const as = tf.split(a, groups, 4) as tf.Tensor5D[];
  const bs = tf.split(b, groups, 4) as tf.Tensor5D[];
  return tf.concat(as.map((ai, g) => f(ai, bs[g]!)), 4);
}

/**
 * conv3d with PyTorch semantics. x [N, C, D, H, W], w [K, C/groups, kd, kh, kw] → [N, K, D', H', W'].
 * tfjs dilates natively only with stride 1 (and native TensorFlow is not relied on to dilate at all);
 * otherwise the filter is spread out with zeros and run undilated.
 */
export function conv3dKernel(x: tf.Tensor, w: tf.Tensor, attrs: Conv3DAttrs, env: KernelEnv): tf.Tensor {
  const { stride, padding, dilation, groups } = attrs;
  let wt = toTfFilter(w);
  let dil: readonly [number, number, number] = dilation;
  if (dilation.some((d) => d !== 1) && (!env.nativeDilation || stride.some((s) => s !== 1))) {
    wt = dilateFilter(wt, dilation);
    dil = [1, 1, 1];
  }
  const [kd, kh, kw] = wt.shape;
  const plan = tfPadding(effectiveKernel([kd, kh, kw], dil), stride, padding, env);
  const xt = padSpatial(toNdhwc(x), plan.explicit);
  return toNcdhw(perGroup(groups, xt, wt, (xg, wg) => tfConv3d(xg, wg, stride, plan.pad, dil)));
}
