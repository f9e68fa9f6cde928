import { record } from '../autograd/grad-node.js';
import { OpenMindError } from '../errors/openmind-error.js';
import {
  inferReshape, normalizeAxis, shapesEqual, type Shape,
} from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

function make(like: Tensor, handle: Tensor['handle']): Tensor {
  return new Tensor(like.engine, handle);
}

/** Same values in a new shape; one entry may be -1. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferReshape(x.shape, shape);
  const y = make(x, x.engine.backend.reshape(x.handle, target));
  return record(y, 'reshape', [x], (dy) => [reshape(dy, x.shape)]);
}

/** Merges the axes from `startAxis` on into one. */
export function flatten(x: Tensor, startAxis = 0): Tensor {
  const a = normalizeAxis(startAxis, x.rank, 'flatten');
  return reshape(x, [...x.shape.slice(0, a), -1]);
}

/** Inserts a size-1 axis at `axis`. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, x.rank + 1, 'unsqueeze');
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/** Removes size-1 axes (all of them, or the given ones). */
export function squeeze(x: Tensor, axes?: readonly number[]): Tensor {
  const drop = axes ? axes.map((a) => normalizeAxis(a, x.rank, 'squeeze')) : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  for (const a of drop) {
    if (x.shape[a] !== 1) throw new OpenMindError(`squeeze: axis ${a} has size ${x.shape[a]}, not 1`);
  }
  return reshape(x, x.shape.filter((_, i) => !drop.includes(i)));
}

/** Permutes axes (default: reverses them). Output axis i is input axis perm[i]. */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || new Set(p.map((a) => normalizeAxis(a, x.rank, 'transpose'))).size !== x.rank) {
    throw new OpenMindError(`transpose: [${p}] is not a permutation of the ${x.rank} axes`);
  }
  const norm = p.map((a) => normalizeAxis(a, x.rank));
  if (norm.every((a, i) => a === i)) return reshape(x, x.shape);
  const y = make(x, x.engine.backend.transpose(x.handle, norm));
  const inverse = new Array<number>(norm.length);
  norm.forEach((a, i) => (inverse[a] = i));
  return record(y, 'transpose', [x], (dy) => [transpose(dy, inverse)]);
}

/** Broadcasts to `shape` (size-1 axes repeat; missing leading axes are added). */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (shape.length < x.rank) throw new OpenMindError(`expand: cannot expand [${x.shape}] to fewer axes [${shape}]`);
  const lifted = x.rank < shape.length ? reshape(x, [...new Array(shape.length - x.rank).fill(1), ...x.shape]) : x;
  lifted.shape.forEach((d, i) => {
    if (d !== 1 && d !== shape[i]) throw new OpenMindError(`expand: cannot expand [${x.shape}] to [${shape}]`);
  });
  if (shapesEqual(lifted.shape, shape)) return lifted === x ? reshape(x, shape) : lifted;
  const y = make(x, x.engine.backend.expand(lifted.handle, shape));
  return record(y, 'expand', [lifted], (dy) => [sumTo(dy, lifted.shape)]);
}

/** Sums a broadcast gradient back down to `shape` (the adjoint of broadcasting). */
export function sumTo(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const lead = x.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length ? reduceSumKeep(x, axes) : x;
  return reshape(summed, shape);
}

function reduceSumKeep(x: Tensor, axes: number[]): Tensor {
  const y = make(x, x.engine.backend.reduce('sum', x.handle, axes));
  return record(y, 'sum', [x], (dy) => [expand(dy, x.shape)]);
}

/**
 * The box starting at `begin` with `size` entries per axis (-1 = to the end).
 * @throws OpenMindError when the box leaves the tensor.
 */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  const b = x.shape.map((_, i) => begin[i] ?? 0);
  const s = x.shape.map((d, i) => {
    const v = size?.[i] ?? -1;
    return v === -1 ? d - b[i]! : v;
  });
  x.shape.forEach((d, i) => {
    if (b[i]! < 0 || s[i]! < 0 || b[i]! + s[i]! > d) {
      throw new OpenMindError(`slice: box begin [${b}] size [${s}] is outside shape [${x.shape}]`);
    }
  });
  const y = make(x, x.engine.backend.slice(x.handle, b, s));
  return record(y, 'slice', [x], (dy) => [pad(dy, x.shape.map((d, i) => [b[i]!, d - b[i]! - s[i]!] as const))]);
}

/** Constant padding with pads[i] = [before, after] for axis i. */
export function pad(x: Tensor, pads: readonly (readonly [number, number])[], value = 0): Tensor {
  if (pads.length !== x.rank || pads.some(([a, b]) => a < 0 || b < 0)) {
    throw new OpenMindError(`pad: need ${x.rank} non-negative [before, after] pairs, got ${JSON.stringify(pads)}`);
  }
  const y = make(x, x.engine.backend.pad(x.handle, pads, value));
  return record(y, 'pad', [x], (dy) => [slice(dy, pads.map(([a]) => a), x.shape)]);
}

/** Joins tensors along an existing axis. */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  const first = xs[0];
  if (!first) throw new OpenMindError('concat: needs at least one tensor');
  const a = normalizeAxis(axis, first.rank, 'concat');
  for (const t of xs) {
    if (t.rank !== first.rank || t.dtype !== first.dtype || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new OpenMindError(`concat: ${t.dtype}[${t.shape}] does not match ${first.dtype}[${first.shape}] off axis ${a}`);
    }
  }
  if (xs.length === 1) return reshape(first, first.shape);
  const y = make(first, first.engine.backend.concat(xs.map((t) => t.handle), a));
  return record(y, 'concat', xs, (dy) => {
    let offset = 0;
    return xs.map((t) => {
      const begin = t.shape.map((_, i) => (i === a ? offset : 0));
      offset += t.shape[a]!;
      return t.needsGrad ? slice(dy, begin, t.shape) : undefined;
    });
  });
}

/** Stacks same-shaped tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  const first = xs[0];
  if (!first) throw new OpenMindError('stack: needs at least one tensor');
  const a = normalizeAxis(axis, first.rank + 1, 'stack');
  return concat(xs.map((t) => unsqueeze(t, a)), a);
}

/** Splits along `axis` into pieces of the given sizes. */
export function split(x: Tensor, sizes: readonly number[], axis: number): Tensor[] {
  const a = normalizeAxis(axis, x.rank, 'split');
  if (sizes.reduce((p, v) => p + v, 0) !== x.shape[a]) {
    throw new OpenMindError(`split: sizes [${sizes}] do not add up to axis ${a} of [${x.shape}]`);
  }
  let offset = 0;
  return sizes.map((n) => {
    const begin = x.shape.map((_, i) => (i === a ? offset : 0));
    const size = x.shape.map((d, i) => (i === a ? n : d));
    offset += n;
    return slice(x, begin, size);
  });
}

/** Selects entries along `axis` by a 1-D int32 index tensor (PyTorch index_select). */
export function gather(x: Tensor, indices: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, x.rank, 'gather');
  if (indices.dtype !== 'int32' || indices.rank !== 1) {
    throw new OpenMindError(`gather: indices must be a 1-D int32 tensor, got ${indices.dtype}[${indices.shape}]`);
  }
  const y = make(x, x.engine.backend.gather(x.handle, indices.handle, a));
  return record(y, 'gather', [x], (dy) => [scatterAdd(dy, indices, a, x.shape)]);
}

/** Adds updates[…, i, …] into a zero tensor of `shape` at indices[i] along `axis` (PyTorch index_add). */
export function scatterAdd(updates: Tensor, indices: Tensor, axis: number, shape: Shape): Tensor {
  const a = normalizeAxis(axis, shape.length, 'scatterAdd');
  if (indices.dtype !== 'int32' || indices.rank !== 1 || updates.shape[a] !== indices.shape[0]) {
    throw new OpenMindError(`scatterAdd: indices must be 1-D int32 with ${updates.shape[a]} entries, got ${indices.dtype}[${indices.shape}]`);
  }
  const y = make(updates, updates.engine.backend.scatterAdd(updates.handle, indices.handle, a, shape));
  return record(y, 'scatterAdd', [updates], (dy) => [gather(dy, indices, a)]);
}
