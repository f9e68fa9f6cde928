import * as tf from '@tensorflow/tfjs-core';

/**
 * Direct calls of tfjs' conv3d kernels. The two backprop kernels are registered on every backend but not
 * exported as ops, and the ops' types allow only 'same'/'valid' where the CPU kernels also take a number
 * (see KernelEnv). Layout NDHWC, filters [kd, kh, kw, in, out]; the backprops never dilate.
 */

export type TfPad = 'same' | 'valid' | number;
type Shape5 = [number, number, number, number, number];
type Triple = readonly number[];
const t3 = (v: Triple) => [v[0]!, v[1]!, v[2]!] as [number, number, number];

export function tfConv3d(x: tf.Tensor5D, filter: tf.Tensor5D, strides: Triple, pad: TfPad, dilations: Triple): tf.Tensor5D {
  const attrs = { strides: t3(strides), pad, dataFormat: 'NDHWC', dilations: t3(dilations) };
  return tf.engine().runKernel<tf.Tensor5D>(tf.Conv3D, { x, filter }, attrs as unknown as tf.NamedAttrMap);
}

/** dx of shape `xShape` from dy and the filter. */
export function tfConv3dBackpropInput(xShape: Shape5, dy: tf.Tensor5D, filter: tf.Tensor5D, strides: Triple, pad: TfPad): tf.Tensor5D {
  const attrs = { inputShape: xShape, strides: t3(strides), pad };
  return tf.engine().runKernel<tf.Tensor5D>(tf.Conv3DBackpropInputV2, { dy, filter }, attrs as unknown as tf.NamedAttrMap);
}

/** dFilter of shape `filterShape` from x and dy. */
export function tfConv3dBackpropFilter(x: tf.Tensor5D, dy: tf.Tensor5D, filterShape: Shape5, strides: Triple, pad: TfPad): tf.Tensor5D {
  const attrs = { filterShape, strides: t3(strides), pad };
  return tf.engine().runKernel<tf.Tensor5D>(tf.Conv3DBackpropFilterV2, { x, dy }, attrs as unknown as tf.NamedAttrMap);
}
