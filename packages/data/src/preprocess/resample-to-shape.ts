import { resizeAxis, type SplineOrder } from './resize-axis.js';
import { resizeVolume } from './resize-volume.js';
import { voxelCount, type Shape3 } from './volume.js';

/** Spacing ratio (max/min) above which in-plane and out-of-plane axes are resampled separately (nnU-Net). */
export const ANISO_THRESHOLD = 3;

/** How to resample (the `resampling_fn_*_kwargs` of an nnssl configuration). */
export interface ResampleOptions {
  /** Spline order within the plane (or in 3-D): 3 for data, 1 for masks in nnssl plans. */
  order: SplineOrder;
  /** Order along the low-resolution axis when resampling separately: 0 (nearest) in nnssl plans, or 1. */
  orderZ: 0 | 1;
  /** `true`/`false` forces separate resampling on/off; `null` decides from the spacings. */
  forceSeparateZ: boolean | null;
  /** Anisotropy ratio that triggers separate resampling; {@link ANISO_THRESHOLD} by default. */
  anisotropyThreshold?: number;
}

/** nnssl's defaults for image data: cubic, nearest out of plane, automatic separate-z. */
export const DATA_RESAMPLING: ResampleOptions = { order: 3, orderZ: 0, forceSeparateZ: null };
/** nnssl's defaults for masks: linear per label, nearest out of plane, automatic separate-z. */
export const MASK_RESAMPLING: ResampleOptions = { order: 1, orderZ: 0, forceSeparateZ: null };

/** Axes whose spacing equals the largest spacing (nnU-Net `get_lowres_axis`). */
function lowResAxes(spacing: readonly number[]): number[] {
  const max = Math.max(...spacing);
  return spacing.flatMap((s, i) => (max / s === 1 ? [i] : []));
}

/**
 * The axis to resample separately, or null for plain 3-D resampling. Follows nnU-Net: the current spacing
 * is checked first, then the target spacing; if two or three axes share the largest spacing there is no
 * single out-of-plane axis and 3-D resampling is used.
 */
export function separateZAxis(
  currentSpacing: readonly number[],
  newSpacing: readonly number[],
  options: Pick<ResampleOptions, 'forceSeparateZ' | 'anisotropyThreshold'>,
): 0 | 1 | 2 | null {
  const threshold = options.anisotropyThreshold ?? ANISO_THRESHOLD;
  const anisotropic = (s: readonly number[]) => Math.max(...s) / Math.min(...s) > threshold;
  let axes: number[] | null = null;
  if (options.forceSeparateZ !== null) {
    axes = options.forceSeparateZ ? lowResAxes(currentSpacing) : null;
  } else if (anisotropic(currentSpacing)) {
    axes = lowResAxes(currentSpacing);
  } else if (anisotropic(newSpacing)) {
    axes = lowResAxes(newSpacing);
  }
  if (!axes || axes.length !== 1) return null;
  return axes[0] as 0 | 1 | 2;
}

/**
 * Resamples a multi-channel image `[C, ...shape]` to `[C, ...newShape]` as nnU-Net's
 * `resample_data_or_seg_to_shape(is_seg=False)`: each channel with {@link resizeVolume}, or, for
 * anisotropic spacing, slice by slice in-plane and then along the low-resolution axis with `orderZ`.
 *
 * @param data `[C, ...shape]` float32, row-major.
 * @returns `[C, ...newShape]` float32 (computed in float64).
 */
export function resampleData(
  data: Float32Array,
  channels: number,
  shape: Shape3,
  newShape: Shape3,
  currentSpacing: readonly number[],
  newSpacing: readonly number[],
  options: ResampleOptions = DATA_RESAMPLING,
): Float32Array {
  if (shape.every((s, i) => s === newShape[i])) return data.slice();
  const axis = separateZAxis(currentSpacing, newSpacing, options);
  const n = voxelCount(shape);
  const m = voxelCount(newShape);
  const out = new Float32Array(channels * m);
  for (let c = 0; c < channels; c++) {
    const channel = data.subarray(c * n, (c + 1) * n);
    const res = axis === null
      ? resizeVolume(channel, shape, newShape, options.order)
      : resizeSeparately(channel, shape, newShape, options.order, options.orderZ, axis);
    out.set(res, c * m);
  }
  return out;
}

/**
 * Resamples a label volume as nnU-Net's `resample_data_or_seg_to_shape(is_seg=True)` with
 * `resize_segmentation`: each label (in ascending order) is turned into an indicator, resized with
 * `order`, and written where the result is ≥ 0.5; later labels win, and a voxel no label reaches stays 0.
 * Along a separate low-resolution axis labels are copied from the nearest slice (`orderZ` 0) or
 * interpolated per label and kept where > 0.5 (`orderZ` 1).
 */
export function resampleMask(
  mask: Int8Array,
  shape: Shape3,
  newShape: Shape3,
  currentSpacing: readonly number[],
  newSpacing: readonly number[],
  options: ResampleOptions = MASK_RESAMPLING,
): Int8Array {
  if (shape.every((s, i) => s === newShape[i])) return mask.slice();
  const axis = separateZAxis(currentSpacing, newSpacing, options);
  if (axis === null) return resizeLabels(mask, shape, newShape, options.order, undefined, 0.5, true);
  const mid: Shape3 = [...newShape];
  mid[axis] = shape[axis];
  const inPlane = resizeLabels(mask, shape, mid, options.order, axis, 0.5, true);
  if (shape[axis] === newShape[axis]) return inPlane;
  if (options.orderZ === 0) {
    const [outer, inner] = outerInner(mid, axis);
    return Int8Array.from(resizeAxis(Float64Array.from(inPlane), outer, mid[axis], inner, newShape[axis], 0));
  }
  return resizeLabels(inPlane, mid, newShape, 1, undefined, 0.5, false, axis);
}

/** In-plane resize of every slice along `axis`, then `orderZ` along `axis` (no clipping on that step). */
function resizeSeparately(
  channel: Float32Array,
  shape: Shape3,
  newShape: Shape3,
  order: SplineOrder,
  orderZ: 0 | 1,
  axis: 0 | 1 | 2,
): Float64Array {
  const mid: Shape3 = [...newShape];
  mid[axis] = shape[axis];
  const inPlane = resizeVolume(channel, shape, mid, order, axis);
  if (shape[axis] === newShape[axis]) return inPlane;
  const [outer, inner] = outerInner(mid, axis);
  return resizeAxis(inPlane, outer, mid[axis], inner, newShape[axis], orderZ);
}

/**
 * Per-label resize. `inclusive` selects ≥ threshold (resize_segmentation) or > threshold (nnU-Net's
 * `round(...) > 0.5` along z, where round(0.5) is 0). With `onlyAxis`, only that axis is resized, linearly
 * and without clipping (map_coordinates); otherwise {@link resizeVolume} is used.
 */
function resizeLabels(
  mask: Int8Array,
  shape: Shape3,
  newShape: Shape3,
  order: SplineOrder,
  sliceAxis: 0 | 1 | 2 | undefined,
  threshold: number,
  inclusive: boolean,
  onlyAxis?: 0 | 1 | 2,
): Int8Array {
  const labels = [...new Set(mask)].sort((a, b) => a - b);
  const out = new Int8Array(voxelCount(newShape));
  const indicator = new Float32Array(mask.length);
  for (const label of labels) {
    for (let i = 0; i < mask.length; i++) indicator[i] = mask[i] === label ? 1 : 0;
    let res: Float64Array;
    if (onlyAxis !== undefined) {
      const [outer, inner] = outerInner(shape, onlyAxis);
      res = resizeAxis(indicator, outer, shape[onlyAxis], inner, newShape[onlyAxis], order);
    } else {
      res = resizeVolume(indicator, shape, newShape, order, sliceAxis);
    }
    for (let i = 0; i < res.length; i++) {
      const v = res[i]!;
      if (inclusive ? v >= threshold : v > threshold) out[i] = label;
    }
  }
  return out;
}

/** Sizes of the axes before and after `axis` in a row-major 3-D array. */
function outerInner(shape: Shape3, axis: 0 | 1 | 2): [number, number] {
  if (axis === 0) return [1, shape[1] * shape[2]];
  if (axis === 1) return [shape[0], shape[2]];
  return [shape[0] * shape[1], 1];
}
