import { CUBIC_PREFILTER_GAIN, cubicPrefilterAxis, cubicWeights } from './cubic-spline.js';

/** Spline orders the resampler implements: nearest, linear and cubic. */
export type SplineOrder = 0 | 1 | 3;

/** Edge padding scipy adds before the cubic prefilter in `mode='nearest'` (`_prepad_for_spline_filter`). */
const PREPAD = 12;

/** Per output sample along one axis: the first input index of each tap and the tap weights. */
interface AxisTaps {
  taps: number;
  index: Int32Array;
  weight: Float64Array;
}

/**
 * Input positions of the output samples as scipy computes them with `grid_mode=True`: voxel centres
 * are aligned, `x_in = (k + 0.5)·(n/m) − 0.5` (plus the prepad offset). Indices are clamped to the
 * (padded) line, which is `mode='nearest'`.
 */
function axisTaps(n: number, m: number, order: SplineOrder, pad: number): AxisTaps {
  const zoom = n / m;
  const taps = order + 1;
  const index = new Int32Array(m * taps);
  const weight = new Float64Array(m * taps);
  const last = n + 2 * pad - 1;
  for (let k = 0; k < m; k++) {
    let cc = k + 0.5;
    cc *= zoom;
    cc -= 0.5;
    cc += pad;
    let start: number;
    if (order === 0) {
      start = Math.floor(cc + 0.5);
      weight[k] = 1;
    } else {
      start = Math.floor(cc) - (order === 3 ? 1 : 0);
      const t = cc - Math.floor(cc);
      if (order === 1) {
        weight[k * 2] = 1 - t;
        weight[k * 2 + 1] = t;
      } else {
        cubicWeights(t, weight, k * 4);
      }
    }
    for (let t = 0; t < taps; t++) index[k * taps + t] = Math.min(last, Math.max(0, start + t));
  }
  return { taps, index, weight };
}

/** Copies `[outer, n, inner]` into `[outer, n + 2·pad, inner]` times `gain`, repeating the edge planes. */
function padEdge(src: ArrayLike<number>, outer: number, n: number, inner: number, pad: number, gain: number): Float64Array {
  const np = n + 2 * pad;
  const out = new Float64Array(outer * np * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < np; i++) {
      const si = Math.min(n - 1, Math.max(0, i - pad));
      const s = (o * n + si) * inner;
      const d = (o * np + i) * inner;
      for (let j = 0; j < inner; j++) out[d + j] = gain * src[s + j]!;
    }
  }
  return out;
}

/**
 * Resamples the middle axis of a row-major `[outer, n, inner]` array to length `m` with a B-spline of the
 * given order, exactly as one axis of `scipy.ndimage.zoom(order, mode='nearest', grid_mode=True)`
 * (cubic: edge-padded by 12, prefiltered, then interpolated). Because both the prefilter and the tensor
 * B-spline are separable, running this once per axis equals scipy's 3-D zoom up to rounding (~1e-15).
 *
 * @param src `[outer, n, inner]` values (not modified).
 * @returns `[outer, m, inner]` float64.
 */
export function resizeAxis(
  src: Float32Array | Float64Array,
  outer: number,
  n: number,
  inner: number,
  m: number,
  order: SplineOrder,
): Float64Array {
  let line: ArrayLike<number> = src;
  let len = n;
  let pad = 0;
  if (order === 3) {
    pad = PREPAD;
    const padded = padEdge(src, outer, n, inner, pad, CUBIC_PREFILTER_GAIN);
    len = n + 2 * pad;
    cubicPrefilterAxis(padded, outer, len, inner);
    line = padded;
  }
  const { taps, index, weight } = axisTaps(n, m, order, pad);
  const out = new Float64Array(outer * m * inner);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const sb = o * len;
      const db = o * m;
      for (let k = 0; k < m; k++) {
        let s = 0;
        for (let t = 0; t < taps; t++) s += weight[k * taps + t]! * line[sb + index[k * taps + t]!]!;
        out[db + k] = s;
      }
    }
    return out;
  }
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) {
      const d = (o * m + k) * inner;
      const row = o * len;
      if (taps === 4) {
        // All four taps in one sweep: one write per output value instead of four read-modify-writes.
        const w0 = weight[k * 4]!, w1 = weight[k * 4 + 1]!, w2 = weight[k * 4 + 2]!, w3 = weight[k * 4 + 3]!;
        const s0 = (row + index[k * 4]!) * inner, s1 = (row + index[k * 4 + 1]!) * inner;
        const s2 = (row + index[k * 4 + 2]!) * inner, s3 = (row + index[k * 4 + 3]!) * inner;
        for (let j = 0; j < inner; j++) out[d + j] = w0 * line[s0 + j]! + w1 * line[s1 + j]! + w2 * line[s2 + j]! + w3 * line[s3 + j]!;
      } else if (taps === 2) {
        const w0 = weight[k * 2]!, w1 = weight[k * 2 + 1]!;
        const s0 = (row + index[k * 2]!) * inner, s1 = (row + index[k * 2 + 1]!) * inner;
        for (let j = 0; j < inner; j++) out[d + j] = w0 * line[s0 + j]! + w1 * line[s1 + j]!;
      } else {
        const s0 = (row + index[k]!) * inner;
        for (let j = 0; j < inner; j++) out[d + j] = line[s0 + j]!;
      }
    }
  }
  return out;
}
