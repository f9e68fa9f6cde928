import type { Shape } from '@openmind-ssl/core';
import { sizeOf } from '@openmind-ssl/core';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { LazyTensor } from '../graph/lazy-tensor.js';
import type { OnnxElemType } from '../onnx/onnx-model.js';

/** Tensors up to this many elements are embedded whole; larger ones are made by ConstantOfShape. */
const INLINE_LIMIT = 64;

/** A constant tensor of one value, recorded as a node so a graph backend can fold it. */
export function fillKernel(b: GraphBuilder, shape: Shape, type: OnnxElemType, value: number): LazyTensor {
  const n = sizeOf(shape);
  if (n <= INLINE_LIMIT) return b.constant(type, shape, new Array<number>(n).fill(value));
  return b.op(
    'ConstantOfShape',
    [b.int64s(shape)],
    [{ name: 'value', kind: 'tensor', value: { dtype: type, dims: [1], values: [value] } }],
    { shape, type },
  );
}
