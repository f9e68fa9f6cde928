import type { Shape } from '@openmind-ssl/core';
import { sizeOf } from '@openmind-ssl/core';
import { int, ints, type GraphBuilder } from '../graph/graph-builder.js';
import type { LazyTensor } from '../graph/lazy-tensor.js';

export function reshapeKernel(b: GraphBuilder, x: LazyTensor, shape: Shape): LazyTensor {
  return b.op('Reshape', [x, b.int64s(shape)], [], { shape, type: x.elemType });
}

/** Output axis i is input axis perm[i]. */
export function transposeKernel(b: GraphBuilder, x: LazyTensor, perm: readonly number[]): LazyTensor {
  return b.op('Transpose', [x], [ints('perm', perm)], { shape: perm.map((p) => x.shape[p]!), type: x.elemType });
}

export function expandKernel(b: GraphBuilder, x: LazyTensor, shape: Shape): LazyTensor {
  return b.op('Expand', [x, b.int64s(shape)], [], { shape, type: x.elemType });
}

/** The box [begin, begin + size) on every axis; optional per-axis steps (negative flips). */
export function sliceKernel(b: GraphBuilder, x: LazyTensor, begin: readonly number[], size: readonly number[]): LazyTensor {
  const axes: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  begin.forEach((s, a) => {
    if (s !== 0 || size[a] !== x.shape[a]) {
      axes.push(a);
      starts.push(s);
      ends.push(s + size[a]!);
    }
  });
  if (axes.length === 0) return x;
  return b.op('Slice', [x, b.int64s(starts), b.int64s(ends), b.int64s(axes)], [], { shape: size, type: x.elemType });
}

/** Strided slice on some axes: start, count and step per listed axis (step may be negative). */
export function stridedSlice(
  b: GraphBuilder, x: LazyTensor, axes: readonly number[], starts: readonly number[], counts: readonly number[], steps: readonly number[],
): LazyTensor {
  const shape = [...x.shape];
  const ends = axes.map((a, i) => {
    shape[a] = counts[i]!;
    const end = starts[i]! + counts[i]! * steps[i]!;
    // An end before index 0 must be written below -size (ONNX reads -1 as "the last element").
    return end < 0 ? -x.shape[a]! - 1 : end;
  });
  return b.op('Slice', [x, b.int64s(starts), b.int64s(ends), b.int64s(axes), b.int64s(steps)], [], { shape, type: x.elemType });
}

/** Constant padding; pads[i] = [before, after] (non-negative). */
export function padKernel(b: GraphBuilder, x: LazyTensor, pads: readonly (readonly [number, number])[], value: number): LazyTensor {
  const shape = x.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  if (pads.every(([p, q]) => p === 0 && q === 0)) return x;
  const flat = [...pads.map((p) => p[0]), ...pads.map((p) => p[1])];
  return b.op('Pad', [x, b.int64s(flat), b.scalar(x.elemType, value)], [{ name: 'mode', kind: 'string', value: 'constant' }], { shape, type: x.elemType });
}

/** Concatenation; zero-size inputs are dropped (callers handle an all-empty result). */
export function concatKernel(b: GraphBuilder, xs: readonly LazyTensor[], axis: number): LazyTensor {
  const shape = [...xs[0]!.shape];
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis]!, 0);
  const parts = xs.filter((x) => sizeOf(x.shape) > 0);
  if (parts.length === 1) return parts[0]!;
  return b.op('Concat', parts, [int('axis', axis)], { shape, type: xs[0]!.elemType });
}
