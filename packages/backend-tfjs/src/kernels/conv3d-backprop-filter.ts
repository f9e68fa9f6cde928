import type { Conv3DAttrs, Shape } from '@openmind-ssl/core';
import type * as tf from '@tensorflow/tfjs-core';
import { effectiveKernel, fromTfFilter, padSpatial, tfPadding, toNdhwc, undilateFilter } from './conv-layout.js';
import { perGroup } from './conv3d.js';
import type { KernelEnv } from './kernel-env.js';
import { tfConv3dBackpropFilter } from './tf-conv-kernels.js';

/**
 * Gradient of conv3d with respect to its filter.
 * x [N, C, D, H, W], dy [N, K, D', H', W'] → `wShape` [K, C/groups, kd, kh, kw].
 *
 * tfjs ignores dilation here, so the gradient is taken for the zero-spread filter and every
 * dilation-th tap kept.
 */
export function conv3dBackpropFilterKernel(
  x: tf.Tensor, dy: tf.Tensor, wShape: Shape, attrs: Conv3DAttrs, env: KernelEnv,
): tf.Tensor {
  const { stride, padding, dilation, groups } = attrs;
  const [k, cg, kd, kh, kw] = wShape as [number, number, number, number, number];
  const eff = effectiveKernel([kd, kh, kw], dilation);
  const plan = tfPadding(eff, stride, padding, env);
  const filterShape: [number, number, number, number, number] = [...eff, cg, k / groups];
  const xt = padSpatial(toNdhwc(x), plan.explicit);
  const dw = perGroup(groups, xt, toNdhwc(dy), (xg, dyg) => tfConv3dBackpropFilter(xg, dyg, filterShape, stride, plan.pad));
  return fromTfFilter(undilateFilter(dw, dilation));
}
