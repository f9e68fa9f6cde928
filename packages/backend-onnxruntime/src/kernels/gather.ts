import type { Shape } from '@openmind-ssl/core';
import { int, str, type GraphBuilder } from '../graph/graph-builder.js';
import type { LazyTensor } from '../graph/lazy-tensor.js';
import { fillKernel } from './fill.js';

/** PyTorch index_select: entries of x along `axis` picked by 1-D int32 indices. */
export function gatherKernel(b: GraphBuilder, x: LazyTensor, indices: LazyTensor, axis: number): LazyTensor {
  const shape = [...x.shape];
  shape[axis] = indices.shape[0]!;
  return b.op('Gather', [x, indices], [int('axis', axis)], { shape, type: x.elemType });
}

/**
 * PyTorch index_add into zeros: ScatterElements with reduction "add" (opset 16+), its per-element
 * indices made by broadcasting the 1-D index list along `axis` over the updates' shape.
 */
export function scatterAddKernel(b: GraphBuilder, updates: LazyTensor, indices: LazyTensor, axis: number, shape: Shape): LazyTensor {
  const column = updates.shape.map((d, i) => (i === axis ? d : 1));
  const col = b.op('Reshape', [indices, b.int64s(column)], [], { shape: column, type: indices.elemType });
  const full = b.op('Expand', [col, b.int64s(updates.shape)], [], { shape: updates.shape, type: indices.elemType });
  const zeros = fillKernel(b, shape, updates.elemType, 0);
  return b.op('ScatterElements', [zeros, full, updates], [int('axis', axis), str('reduction', 'add')], { shape, type: updates.elemType });
}
