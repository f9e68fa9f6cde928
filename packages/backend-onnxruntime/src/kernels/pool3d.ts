import type { Pool3DAttrs } from '@openmind-ssl/core';
import { sizeOf, windowOutputSize } from '@openmind-ssl/core';
import { int, ints, str, type GraphBuilder } from '../graph/graph-builder.js';
import type { LazyTensor } from '../graph/lazy-tensor.js';
import { conv3dBackpropInputKernel } from './conv3d-backprop-input.js';
import { fillKernel } from './fill.js';

function poolAttrs(attrs: Pool3DAttrs) {
  return [ints('kernel_shape', attrs.kernelSize), ints('strides', attrs.stride), ints('pads', [...attrs.padding, ...attrs.padding])];
}

function pooledShape(x: LazyTensor, attrs: Pool3DAttrs): number[] {
  return [
    x.shape[0]!, x.shape[1]!,
    ...attrs.kernelSize.map((k, a) => windowOutputSize(x.shape[2 + a]!, k, attrs.stride[a]!, attrs.padding[a]!)),
  ];
}

/** Max pooling pads with −∞ (ONNX ignores pads for max); average pooling counts padded zeros. */
export function pool3dKernel(b: GraphBuilder, x: LazyTensor, attrs: Pool3DAttrs): LazyTensor {
  const shape = pooledShape(x, attrs);
  if (attrs.mode === 'max') return b.op('MaxPool', [x], poolAttrs(attrs), { shape, type: 'float32' });
  return b.op('AveragePool', [x], [...poolAttrs(attrs), int('count_include_pad', 1)], { shape, type: 'float32' });
}

/**
 * Gradient of pool3d. Max: MaxPool's second output holds, per window, the flat index into x of its
 * first maximum; the gradient is a scatter-add of dy at those indices. Average: a transposed
 * convolution of each channel with a constant 1/volume kernel (the conv input-gradient kernel).
 */
export function pool3dBackpropKernel(b: GraphBuilder, dy: LazyTensor, x: LazyTensor, attrs: Pool3DAttrs): LazyTensor {
  const total = sizeOf(x.shape);
  const f = 'float32' as const;
  if (attrs.mode === 'max') {
    const [, idx] = b.opMulti('MaxPool', [x], [...poolAttrs(attrs), int('storage_order', 0)], [
      { shape: dy.shape, type: f }, { shape: dy.shape, type: 'int64' },
    ]);
    const n = sizeOf(dy.shape);
    const flatIdx = b.op('Reshape', [idx!, b.int64s([n])], [], { shape: [n], type: 'int64' });
    const flatDy = b.op('Reshape', [dy, b.int64s([n])], [], { shape: [n], type: f });
    const zeros = fillKernel(b, [total], f, 0);
    const dx = b.op('ScatterElements', [zeros, flatIdx, flatDy], [int('axis', 0), str('reduction', 'add')], { shape: [total], type: f });
    return b.op('Reshape', [dx, b.int64s(x.shape)], [], { shape: x.shape, type: f });
  }
  const [N, C, ...spatial] = x.shape as number[];
  const volume = attrs.kernelSize.reduce((p, k) => p * k, 1);
  const perChannel = [N! * C!, 1, ...dy.shape.slice(2)];
  const dy1 = b.op('Reshape', [dy, b.int64s(perChannel)], [], { shape: perChannel, type: f });
  const w = fillKernel(b, [1, 1, ...attrs.kernelSize], f, 1 / volume);
  const dx = conv3dBackpropInputKernel(b, dy1, w, [N! * C!, 1, ...spatial], {
    stride: attrs.stride, padding: attrs.padding, dilation: [1, 1, 1], groups: 1,
  });
  return b.op('Reshape', [dx, b.int64s(x.shape)], [], { shape: x.shape, type: f });
}
