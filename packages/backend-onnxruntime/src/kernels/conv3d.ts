import type { Conv3DAttrs } from '@openmind-ssl/core';
import { windowOutputSize } from '@openmind-ssl/core';
import { int, ints, type GraphBuilder } from '../graph/graph-builder.js';
import type { LazyTensor } from '../graph/lazy-tensor.js';

/** Conv attributes for ONNX from PyTorch-style ones (symmetric padding). */
export function convAttrs(kernel: readonly number[], attrs: Conv3DAttrs) {
  return [
    ints('kernel_shape', kernel),
    ints('strides', attrs.stride),
    ints('dilations', attrs.dilation),
    ints('pads', [...attrs.padding, ...attrs.padding]),
    int('group', attrs.groups),
  ];
}

/** x [N, C, D, H, W] ⊛ w [K, C/groups, kd, kh, kw] → [N, K, D', H', W'] (MLAS direct/im2col conv). */
export function conv3dKernel(b: GraphBuilder, x: LazyTensor, w: LazyTensor, attrs: Conv3DAttrs): LazyTensor {
  const kernel = w.shape.slice(2);
  const shape = [
    x.shape[0]!, w.shape[0]!,
    ...kernel.map((k, a) => windowOutputSize(x.shape[2 + a]!, k, attrs.stride[a]!, attrs.padding[a]!, attrs.dilation[a]!)),
  ];
  return b.op('Conv', [x, w], convAttrs(kernel, attrs), { shape, type: 'float32' });
}
