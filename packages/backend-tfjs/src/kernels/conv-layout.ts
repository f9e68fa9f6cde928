import * as tf from '@tensorflow/tfjs-core';
import type { KernelEnv } from './kernel-env.js';
import type { TfPad } from './tf-conv-kernels.js';

/**
 * Layout glue between core's PyTorch layout and tfjs convolutions. Handles stay NCDHW (every other
 * kernel is a plain row-major op on them), and each conv call transposes at its boundary: tfjs only
 * convolves NDHWC activations with [kd, kh, kw, in, out] filters.
 */

export type Triple = readonly [number, number, number];

/** [N, C, D, H, W] → [N, D, H, W, C]. */
export function toNdhwc(x: tf.Tensor): tf.Tensor5D {
  return tf.transpose(x, [0, 2, 3, 4, 1]) as tf.Tensor5D;
}

/** [N, D, H, W, C] → [N, C, D, H, W]. */
export function toNcdhw(x: tf.Tensor): tf.Tensor5D {
  return tf.transpose(x, [0, 4, 1, 2, 3]) as tf.Tensor5D;
}

/** PyTorch filter [out, in, kd, kh, kw] → tfjs filter [kd, kh, kw, in, out]. */
export function toTfFilter(w: tf.Tensor): tf.Tensor5D {
  return tf.transpose(w, [2, 3, 4, 1, 0]) as tf.Tensor5D;
}

/** tfjs filter [kd, kh, kw, in, out] → PyTorch filter [out, in, kd, kh, kw]. */
export function fromTfFilter(w: tf.Tensor): tf.Tensor5D {
  return tf.transpose(w, [4, 3, 0, 1, 2]) as tf.Tensor5D;
}

/** Constant padding (zeros unless told) of the three spatial axes of an NDHWC tensor. */
export function padSpatial(x: tf.Tensor5D, padding: Triple, value = 0): tf.Tensor5D {
  if (padding.every((p) => p === 0)) return x;
  const [pd, ph, pw] = padding;
  return tf.pad(x, [[0, 0], [pd, pd], [ph, ph], [pw, pw], [0, 0]], value);
}

/** Removes `padding` from both ends of the spatial axes of an NDHWC tensor. */
export function cropSpatial(x: tf.Tensor5D, padding: Triple): tf.Tensor5D {
  if (padding.every((p) => p === 0)) return x;
  const [n, d, h, w, c] = x.shape;
  const [pd, ph, pw] = padding;
  return tf.slice(x, [0, pd, ph, pw, 0], [n, d - 2 * pd, h - 2 * ph, w - 2 * pw, c]);
}

/**
 * Spreads a tfjs filter's taps `dilation` apart with zeros between them, so a dilated convolution can
 * run as a plain one (tfjs backprop kernels ignore dilation, and conv3d refuses stride and dilation
 * together). [kd, kh, kw, in, out] → [(kd-1)·dd+1, …, in, out].
 */
export function dilateFilter(w: tf.Tensor5D, dilation: Triple): tf.Tensor5D {
  let out: tf.Tensor = w;
  for (let axis = 0; axis < 3; axis++) {
    const d = dilation[axis]!;
    if (d === 1) continue;
    const shape = out.shape;
    const k = shape[axis]!;
    // Interleave: a new axis of size d after `axis` holds [tap, 0, …, 0]; merging it spreads the taps.
    const pads = new Array<[number, number]>(shape.length + 1).fill([0, 0]);
    pads[axis + 1] = [0, d - 1];
    const spread = tf.pad(tf.expandDims(out, axis + 1), pads);
    const merged = shape.slice();
    merged[axis] = k * d;
    const size = merged.slice();
    size[axis] = (k - 1) * d + 1;
    out = tf.slice(tf.reshape(spread, merged), shape.map(() => 0), size);
  }
  return out as tf.Tensor5D;
}

/** Every `dilation`-th tap of a dilated filter gradient: the inverse of `dilateFilter`. */
export function undilateFilter(w: tf.Tensor5D, dilation: Triple): tf.Tensor5D {
  if (dilation.every((d) => d === 1)) return w;
  const [kd, kh, kw, ci, co] = w.shape;
  return tf.stridedSlice(w, [0, 0, 0, 0, 0], [kd, kh, kw, ci, co], [...dilation, 1, 1]) as tf.Tensor5D;
}

/** The spatial extent of a dilated kernel. */
export function effectiveKernel(kernel: Triple, dilation: Triple): [number, number, number] {
  return [0, 1, 2].map((i) => (kernel[i]! - 1) * dilation[i]! + 1) as [number, number, number];
}

/**
 * How to express PyTorch's symmetric padding to tfjs, cheapest first: padding 0 is 'valid'; stride 1 with
 * padding (k_eff − 1)/2 on every axis (the usual 3³ conv with padding 1) is exactly tfjs' 'same'; a
 * padding equal on all axes is a number where the backend takes one. Anything else is padded (and, for
 * input gradients, cropped) explicitly around a 'valid' kernel.
 */
export function tfPadding(
  effKernel: Triple, stride: Triple, padding: Triple, env: KernelEnv,
): { pad: TfPad; explicit: Triple } {
  const none: Triple = [0, 0, 0];
  if (padding.every((p) => p === 0)) return { pad: 'valid', explicit: none };
  if (stride.every((s) => s === 1) && padding.every((p, i) => 2 * p === effKernel[i]! - 1)) {
    return { pad: 'same', explicit: none };
  }
  if (env.numericPadding && padding.every((p) => p === padding[0])) return { pad: padding[0]!, explicit: none };
  return { pad: 'valid', explicit: padding };
}
