import type { Pool3DAttrs } from '@openmind-ssl/core';
import * as tf from '@tensorflow/tfjs-core';
import { cropSpatial, tfPadding } from './conv-layout.js';
import type { KernelEnv } from './kernel-env.js';
import { channelsAsBatch } from './pool3d.js';
import { tfConv3dBackpropInput } from './tf-conv-kernels.js';

type Triple = readonly [number, number, number];

/**
 * For every window (output order) and tap (d, h, w scan order), the flat index of the tap in the
 * unpadded [D, H, W] volume, or `D·H·W` for a tap in the padding: [D'·H'·W'·kd·kh·kw] int32.
 */
function tapIndices(size: Triple, out: Triple, attrs: Pool3DAttrs): Int32Array {
  const [d, h, w] = size;
  const [kd, kh, kw] = attrs.kernelSize;
  const [sd, sh, sw] = attrs.stride;
  const [pd, ph, pw] = attrs.padding;
  const table = new Int32Array(out[0] * out[1] * out[2] * kd * kh * kw);
  let i = 0;
  for (let z = 0; z < out[0]; z++) for (let y = 0; y < out[1]; y++) for (let x = 0; x < out[2]; x++) {
    for (let a = 0; a < kd; a++) for (let b = 0; b < kh; b++) for (let c = 0; c < kw; c++) {
      const iz = z * sd - pd + a;
      const iy = y * sh - ph + b;
      const ix = x * sw - pw + c;
      const inside = iz >= 0 && iz < d && iy >= 0 && iy < h && ix >= 0 && ix < w;
      table[i++] = inside ? (iz * h + iy) * w + ix : d * h * w;
    }
  }
  return table;
}

/**
 * Max-pool gradient: dy goes to the first maximum of its window. tfjs' MaxPool3DGrad takes the last one
 * on ties (and native TensorFlow promises neither), so each window's taps are gathered from x with one
 * −∞ appended for padding taps, argMax (first on ties) picks the winner, and scatterND adds dy there.
 * Winners in the padding are sent to one spare slot past the end, which is dropped.
 */
function maxPoolBackprop(dy: tf.Tensor, xb: tf.Tensor5D, attrs: Pool3DAttrs): tf.Tensor {
  const [b, d, h, w] = xb.shape;
  const [, , od, oh, ow] = dy.shape as [number, number, number, number, number];
  const volume = d * h * w;
  const windows = od * oh * ow;
  const taps = attrs.kernelSize[0] * attrs.kernelSize[1] * attrs.kernelSize[2];
  const table = tf.tensor1d(tapIndices([d, h, w], [od, oh, ow], attrs), 'int32');
  const extended = tf.concat([tf.reshape(xb, [b, volume]), tf.fill([b, 1], -Infinity)], 1);
  const values = tf.reshape(tf.gather(extended, table, 1), [b, windows, taps]);
  const windowBase = tf.reshape(tf.mul(tf.range(0, windows, 1, 'int32'), tf.scalar(taps, 'int32')), [1, windows]);
  const winner = tf.gather(table, tf.add(tf.argMax(values, 2), windowBase));
  const batchBase = tf.reshape(tf.mul(tf.range(0, b, 1, 'int32'), tf.scalar(volume, 'int32')), [b, 1]);
  const spare = tf.scalar(b * volume, 'int32');
  const target = tf.where(tf.equal(winner, volume), spare, tf.add(winner, batchBase));
  const summed = tf.scatterND(tf.reshape(target, [b * windows, 1]), tf.reshape(dy, [b * windows]), [b * volume + 1]);
  return tf.slice(summed, 0, b * volume);
}

/**
 * Gradient of pool3d, x [N, C, D, H, W], dy [N, C, D', H', W'] → [N, C, D, H, W]. Average: every dy
 * spreads dy/volume over its whole window, a transposed convolution with a constant filter; max: see
 * `maxPoolBackprop`.
 */
export function pool3dBackpropKernel(dy: tf.Tensor, x: tf.Tensor, attrs: Pool3DAttrs, env: KernelEnv): tf.Tensor {
  const xb = channelsAsBatch(x);
  if (attrs.mode === 'max') return tf.reshape(maxPoolBackprop(dy, xb, attrs), x.shape);
  const [kd, kh, kw] = attrs.kernelSize;
  const [b, d, h, w] = xb.shape;
  const plan = tfPadding(attrs.kernelSize, attrs.stride, attrs.padding, env);
  const [pd, ph, pw] = plan.explicit;
  const [, , od, oh, ow] = dy.shape as [number, number, number, number, number];
  const filter = tf.fill([kd, kh, kw, 1, 1], 1 / (kd * kh * kw)) as tf.Tensor5D;
  const dyb = tf.reshape(dy, [b, od, oh, ow, 1]) as tf.Tensor5D;
  const dxp = tfConv3dBackpropInput([b, d + 2 * pd, h + 2 * ph, w + 2 * pw, 1], dyb, filter, attrs.stride, plan.pad);
  return tf.reshape(cropSpatial(dxp, plan.explicit), x.shape);
}
