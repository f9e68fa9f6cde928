import type { ReduceOp } from '@openmind-ssl/core';
import { reducedShape } from '@openmind-ssl/core';
import { int, ints, type GraphBuilder } from '../graph/graph-builder.js';
import type { LazyTensor } from '../graph/lazy-tensor.js';
import { castTo } from './elementwise.js';

/** Reduces `axes` (sorted, unique), keeping them as size 1. No axes means no reduction. */
export function reduceKernel(b: GraphBuilder, op: ReduceOp, x: LazyTensor, axes: readonly number[]): LazyTensor {
  const shape = reducedShape(x.shape, axes);
  if (axes.length === 0) return x;
  const keep = int('keepdims', 1);
  if (op === 'sum') {
    // ReduceSum has no uint8 kernel on the CPU EP; sum in int32 and wrap back like a uint8 cast.
    const src = x.elemType === 'uint8' ? castTo(b, x, 'int32') : x;
    const sum = b.op('ReduceSum', [src, b.int64s(axes)], [keep], { shape, type: src.elemType });
    return castTo(b, sum, x.elemType);
  }
  // Opset 17 ReduceMax/ReduceMin still take axes as an attribute.
  return b.op(op === 'max' ? 'ReduceMax' : 'ReduceMin', [x], [ints('axes', axes), keep], { shape, type: x.elemType });
}

/** Index of the first maximum along `axis` as int32, the axis kept as size 1. */
export function argMaxKernel(b: GraphBuilder, x: LazyTensor, axis: number): LazyTensor {
  const shape = reducedShape(x.shape, [axis]);
  const idx = b.op('ArgMax', [x], [int('axis', axis), int('keepdims', 1), int('select_last_index', 0)], { shape, type: 'int64' });
  return castTo(b, idx, 'int32');
}

/** Batched [B, M, K] × [B, K, N], each operand optionally stored transposed. */
export function matmulKernel(b: GraphBuilder, a: LazyTensor, c: LazyTensor, transposeA: boolean, transposeB: boolean): LazyTensor {
  const t = (x: LazyTensor): LazyTensor =>
    b.op('Transpose', [x], [ints('perm', [0, 2, 1])], { shape: [x.shape[0]!, x.shape[2]!, x.shape[1]!], type: x.elemType });
  const left = transposeA ? t(a) : a;
  const right = transposeB ? t(c) : c;
  // ORT fuses Transpose + MatMul into FusedMatMul, so the transposes cost no copy at run time.
  return b.op('MatMul', [left, right], [], { shape: [Math.max(left.shape[0]!, right.shape[0]!), left.shape[1]!, right.shape[2]!], type: 'float32' });
}
