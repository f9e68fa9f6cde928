import type { Shape } from '@openmind-ssl/core';
import { sizeOf, stridesOf } from '@openmind-ssl/core';
import { broadcastIndexer, ravel, unravel } from './indexing.js';
import { RefTensor } from './ref-tensor.js';

/**
 * Builds a tensor of `shape` whose element at multi-index `idx` is `source(idx)`. Every data-movement
 * kernel below is written as "where does output element idx come from", which is easy to read off the
 * kernel's definition.
 */
function generate(shape: Shape, dtype: RefTensor['dtype'], source: (idx: number[]) => number): RefTensor {
  const out = new Float64Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = source(unravel(i, shape));
  return new RefTensor([...shape], dtype, out);
}

export function reshape(x: RefTensor, shape: Shape): RefTensor {
  return new RefTensor([...shape], x.dtype, Float64Array.from(x.values));
}

/** Output axis i is input axis perm[i]. */
export function transpose(x: RefTensor, perm: readonly number[]): RefTensor {
  const inStrides = stridesOf(x.shape);
  const shape = perm.map((p) => x.shape[p]!);
  return generate(shape, x.dtype, (idx) => {
    let flat = 0;
    for (let i = 0; i < perm.length; i++) flat += idx[i]! * inStrides[perm[i]!]!;
    return x.values[flat]!;
  });
}

export function expand(x: RefTensor, shape: Shape): RefTensor {
  const map = broadcastIndexer(x.shape, shape);
  const out = new Float64Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = x.values[map(i)]!;
  return new RefTensor([...shape], x.dtype, out);
}

export function slice(x: RefTensor, begin: readonly number[], size: readonly number[]): RefTensor {
  const inStrides = stridesOf(x.shape);
  return generate(size, x.dtype, (idx) => x.values[ravel(idx.map((v, i) => v + begin[i]!), inStrides)]!);
}

export function pad(x: RefTensor, pads: readonly (readonly [number, number])[], value: number): RefTensor {
  const inStrides = stridesOf(x.shape);
  const shape = x.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  return generate(shape, x.dtype, (idx) => {
    const src = idx.map((v, i) => v - pads[i]![0]);
    const inside = src.every((v, i) => v >= 0 && v < x.shape[i]!);
    return inside ? x.values[ravel(src, inStrides)]! : value;
  });
}

export function concat(xs: readonly RefTensor[], axis: number): RefTensor {
  const first = xs[0]!;
  const shape = [...first.shape];
  shape[axis] = xs.reduce((acc, x) => acc + x.shape[axis]!, 0);
  return generate(shape, first.dtype, (idx) => {
    let pos = idx[axis]!;
    for (const x of xs) {
      const extent = x.shape[axis]!;
      if (pos < extent) {
        const src = [...idx];
        src[axis] = pos;
        return x.values[ravel(src, stridesOf(x.shape))]!;
      }
      pos -= extent;
    }
    throw new Error('concat: index past the end (unreachable for validated inputs)');
  });
}

/** PyTorch index_select: out[..., i, ...] = x[..., indices[i], ...]. */
export function gather(x: RefTensor, indices: RefTensor, axis: number): RefTensor {
  const inStrides = stridesOf(x.shape);
  const shape = [...x.shape];
  shape[axis] = indices.values.length;
  return generate(shape, x.dtype, (idx) => {
    const src = [...idx];
    src[axis] = indices.values[idx[axis]!]!;
    return x.values[ravel(src, inStrides)]!;
  });
}

/** PyTorch index_add into zeros of `shape`: out[..., indices[i], ...] += updates[..., i, ...]. */
export function scatterAdd(updates: RefTensor, indices: RefTensor, axis: number, shape: Shape): RefTensor {
  const outStrides = stridesOf(shape);
  const out = new Float64Array(sizeOf(shape));
  for (let i = 0; i < updates.values.length; i++) {
    const idx = unravel(i, updates.shape);
    idx[axis] = indices.values[idx[axis]!]!;
    out[ravel(idx, outStrides)]! += updates.values[i]!;
  }
  return new RefTensor([...shape], updates.dtype, out);
}
