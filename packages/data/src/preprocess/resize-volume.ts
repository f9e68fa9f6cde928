import { resizeAxis, type SplineOrder } from './resize-axis.js';
import type { Shape3 } from './volume.js';

/**
 * Resizes a row-major 3-D array as `skimage.transform.resize(x, newShape, order, mode='edge',
 * anti_aliasing=False)` does (the call nnU-Net and nnssl make): a B-spline zoom with voxel centres aligned
 * (`scipy.ndimage.zoom(..., mode='nearest', grid_mode=True)`), then the result clipped to the input's
 * value range (skimage's default `clip=True`).
 *
 * With `sliceAxis`, each slice along that axis is resized on its own as a 2-D image (the shape along
 * `sliceAxis` must not change) and clipped to that slice's range, which is how nnU-Net resamples
 * in-plane before its separate out-of-plane step.
 *
 * Axes whose length does not change are skipped: at zoom 1 the spline reproduces its samples exactly.
 *
 * @param src `shape` values, row-major.
 * @returns `newShape` values, float64.
 */
export function resizeVolume(
  src: Float32Array | Float64Array,
  shape: Shape3,
  newShape: Shape3,
  order: SplineOrder,
  sliceAxis?: 0 | 1 | 2,
): Float64Array {
  if (sliceAxis !== undefined && shape[sliceAxis] !== newShape[sliceAxis]) {
    throw new RangeError(
      `resizeVolume: the slice axis ${sliceAxis} must keep its length ${shape[sliceAxis]}, but got ${newShape[sliceAxis]}.`,
    );
  }
  const cur: number[] = [...shape];
  // Shrinking axes go first: every later pass then touches fewer voxels.
  const axes = [0, 1, 2]
    .filter((a) => shape[a] !== newShape[a])
    .sort((a, b) => newShape[a]! / shape[a]! - newShape[b]! / shape[b]!);
  let data: Float32Array | Float64Array = src;
  for (const a of axes) {
    const outer = a === 0 ? 1 : a === 1 ? cur[0]! : cur[0]! * cur[1]!;
    const inner = a === 0 ? cur[1]! * cur[2]! : a === 1 ? cur[2]! : 1;
    data = resizeAxis(data, outer, cur[a]!, inner, newShape[a]!, order);
    cur[a] = newShape[a]!;
  }
  const out = data === src ? Float64Array.from(src) : (data as Float64Array);
  if (axes.length > 0) clipToInputRange(src, shape, out, newShape, sliceAxis);
  return out;
}

/** Clips `out` to the value range of `src` (per slice along `sliceAxis` when given). */
function clipToInputRange(
  src: Float32Array | Float64Array,
  shape: Shape3,
  out: Float64Array,
  newShape: Shape3,
  sliceAxis: 0 | 1 | 2 | undefined,
): void {
  if (sliceAxis === undefined) {
    const [lo, hi] = range(src);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(hi, Math.max(lo, out[i]!));
    return;
  }
  const ns = shape[sliceAxis];
  for (let s = 0; s < ns; s++) {
    const [lo, hi] = sliceRange(src, shape, sliceAxis, s);
    forEachInSlice(newShape, sliceAxis, s, (i) => {
      out[i] = Math.min(hi, Math.max(lo, out[i]!));
    });
  }
}

function range(a: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function sliceRange(src: ArrayLike<number>, shape: Shape3, axis: 0 | 1 | 2, s: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  forEachInSlice(shape, axis, s, (i) => {
    const v = src[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  });
  return [lo, hi];
}

/** Calls `fn` with the flat index of every voxel of slice `s` along `axis`. */
function forEachInSlice(shape: Shape3, axis: 0 | 1 | 2, s: number, fn: (i: number) => void): void {
  const [n0, n1, n2] = shape;
  for (let i = axis === 0 ? s : 0; i < (axis === 0 ? s + 1 : n0); i++) {
    for (let j = axis === 1 ? s : 0; j < (axis === 1 ? s + 1 : n1); j++) {
      const row = (i * n1 + j) * n2;
      if (axis === 2) fn(row + s);
      else for (let k = 0; k < n2; k++) fn(row + k);
    }
  }
}
