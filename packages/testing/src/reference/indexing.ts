import type { Shape } from '@openmind-ssl/core';
import { stridesOf } from '@openmind-ssl/core';

/**
 * Maps each flat index of `outShape` to the flat index of an input of shape `inShape` that broadcasts
 * to it (NumPy rules: aligned from the right, size-1 axes repeat). Plain per-element arithmetic on
 * purpose: the oracle trades speed for being easy to check.
 */
export function broadcastIndexer(inShape: Shape, outShape: Shape): (outFlat: number) => number {
  const rank = outShape.length;
  const offset = rank - inShape.length;
  const inStrides = stridesOf(inShape);
  const strides = outShape.map((_, i) => {
    const d = inShape[i - offset];
    return d === undefined || d === 1 ? 0 : inStrides[i - offset]!;
  });
  return (outFlat) => {
    let rest = outFlat;
    let inFlat = 0;
    for (let i = rank - 1; i >= 0; i--) {
      const size = outShape[i]!;
      inFlat += (rest % size) * strides[i]!;
      rest = Math.floor(rest / size);
    }
    return inFlat;
  };
}

/** The multi-index of a flat row-major index. */
export function unravel(flat: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  let rest = flat;
  for (let i = shape.length - 1; i >= 0; i--) {
    const size = shape[i]!;
    idx[i] = rest % size;
    rest = Math.floor(rest / size);
  }
  return idx;
}

/** The flat row-major index of a multi-index. */
export function ravel(idx: readonly number[], strides: readonly number[]): number {
  let flat = 0;
  for (let i = 0; i < idx.length; i++) flat += idx[i]! * strides[i]!;
  return flat;
}
