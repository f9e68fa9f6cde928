import type { Conv3DAttrs, Shape } from '@openmind-ssl/core';
import type * as tf from '@tensorflow/tfjs-core';
import { cropSpatial, dilateFilter, tfPadding, toNcdhw, toNdhwc, toTfFilter } from './conv-layout.js';
import { perGroup } from './conv3d.js';
import type { KernelEnv } from './kernel-env.js';
import { tfConv3dBackpropInput } from './tf-conv-kernels.js';

/**
 * Gradient of conv3d with respect to its input (also the transposed convolution).
 * dy [N, K, D', H', W'], w [K, C/groups, kd, kh, kw] → `xShape` [N, C, D, H, W].
 *
 * The tfjs kernel is told the full `xShape`, so rows a strided window never reached (PyTorch's
 * output_padding) get zeros. Explicit padding means the gradient of the padded input, cropped. tfjs'
 * backprop kernels ignore dilation, so a dilated filter is spread out with zeros first.
 */
export function conv3dBackpropInputKernel(
  dy: tf.Tensor, w: tf.Tensor, xShape: Shape, attrs: Conv3DAttrs, env: KernelEnv,
): tf.Tensor {
  const { stride, padding, dilation, groups } = attrs;
  const wt = dilateFilter(toTfFilter(w), dilation);
  const [kd, kh, kw] = wt.shape;
  const plan = tfPadding([kd, kh, kw], stride, padding, env);
  const [pd, ph, pw] = plan.explicit;
  const [n, c, d, h, wd] = xShape as [number, number, number, number, number];
  const padded: [number, number, number, number, number] = [n, d + 2 * pd, h + 2 * ph, wd + 2 * pw, c / groups];
  const dx = perGroup(groups, toNdhwc(dy), wt, (dyg, wg) => tfConv3dBackpropInput(padded, dyg, wg, stride, plan.pad));
  return toNcdhw(cropSpatial(dx, plan.explicit));
}
