import { OpenMindError } from '../errors/openmind-error.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting: align from the right; each pair of sizes must be equal or one of them 1. */
export function broadcastShapes(a: Shape, b: Shape, op = 'broadcast'): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new OpenMindError(`${op}: shapes [${a}] and [${b}] do not broadcast (axis ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Turns negative axes into positive ones and checks the range. */
export function normalizeAxis(axis: number, rank: number, op = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new OpenMindError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return a;
}

export function normalizeAxes(axes: number | readonly number[] | undefined, rank: number, op = 'axes'): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = [...new Set(list.map((a) => normalizeAxis(a, rank, op)))];
  return out.sort((x, y) => x - y);
}

/** Shape of a reduction that keeps reduced axes as size 1. */
export function reducedShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Resolves one -1 entry of a reshape target. */
export function inferReshape(from: Shape, to: readonly number[]): number[] {
  const size = sizeOf(from);
  const unknown = to.indexOf(-1);
  if (unknown >= 0) {
    const known = to.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    const out = [...to];
    out[unknown] = known === 0 ? 0 : size / known;
    if (!Number.isInteger(out[unknown])) {
      throw new OpenMindError(`reshape: cannot reshape [${from}] (size ${size}) to [${to}]`);
    }
    return out;
  }
  if (sizeOf(to) !== size) throw new OpenMindError(`reshape: cannot reshape [${from}] (size ${size}) to [${to}]`);
  return [...to];
}

export function triple(v: number | readonly number[], name: string): [number, number, number] {
  if (typeof v === 'number') return [v, v, v];
  if (v.length !== 3) throw new OpenMindError(`${name} must be a number or 3 numbers [d, h, w], got [${v}]`);
  return [v[0]!, v[1]!, v[2]!];
}
