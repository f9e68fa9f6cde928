import type { Shape } from '@openmind-ssl/core';
import { stridesOf } from '@openmind-ssl/core';
import type { StridedView } from '../programs/map.wgsl.js';

/** Reads a tensor of `inShape` broadcast to `outShape` (NumPy rules, aligned from the right). */
export function broadcastView(inShape: Shape, outShape: Shape): StridedView {
  const inStrides = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  return {
    strides: outShape.map((_, a) => {
      const d = inShape[a - lead];
      return d === undefined || d === 1 ? 0 : inStrides[a - lead]!;
    }),
    offset: 0,
  };
}

/** Writes or reads a whole contiguous tensor of `shape`. */
export function contiguousView(shape: Shape): StridedView {
  return { strides: stridesOf(shape), offset: 0 };
}

/** Reads input axis perm[i] as output axis i. */
export function permutedView(inShape: Shape, perm: readonly number[]): StridedView {
  const s = stridesOf(inShape);
  return { strides: perm.map((p) => s[p]!), offset: 0 };
}

/** Reads the box starting at `begin` of a tensor of `inShape`, iterated over the box's shape. */
export function boxView(inShape: Shape, begin: readonly number[]): StridedView {
  const s = stridesOf(inShape);
  return { strides: s, offset: begin.reduce((acc, b, a) => acc + b * s[a]!, 0) };
}

/** Reads a tensor of `inShape` placed at `before` inside the padded iteration shape; outside it is absent. */
export function paddedView(inShape: Shape, before: readonly number[]): StridedView {
  const s = stridesOf(inShape);
  return {
    strides: s,
    offset: -before.reduce((acc, b, a) => acc + b * s[a]!, 0),
    bounds: inShape.map((d, a) => [before[a]!, before[a]! + d] as const),
  };
}
