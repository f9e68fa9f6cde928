import { mirrorIndex } from '../spatial/sampling-grid.js';
import { SPLINE_GAIN, filterBlock } from '../spatial/spline-prefilter.js';

/** Interpolation orders supported by {@link zoomAxis}. */
export type ZoomOrder = 0 | 1 | 3;

/** scipy pads this many edge values before the spline prefilter in mode 'nearest'. */
const NEAREST_PAD = 12;

/**
 * Resamples the middle axis of an [outer, n, inner] float64 array to length m: one axis of scipy.ndimage
 * `zoom(grid_mode=True, mode='nearest')`, which is what skimage's `resize(mode='edge', anti_aliasing=False)`
 * calls. Pixel centres align: output k reads input coordinate (k + 0.5)·n/m - 0.5. Order 3 prefilters an
 * edge-padded copy as scipy does; zooming axis by axis equals scipy's joint 3-D zoom because the spline,
 * the padding and the tap selection are all separable. Rows of `inner` values are processed together.
 * @returns a new [outer, m, inner] array.
 */
export function zoomAxis(src: Float64Array, outer: number, n: number, inner: number, m: number, order: ZoomOrder): Float64Array {
  const out = new Float64Array(outer * m * inner);
  const pad = order === 3 ? NEAREST_PAD : 0;
  const len = n + 2 * pad;
  const zoom = n / m;
  const taps = order + 1;
  // Tap rows and weights depend only on the output position: compute them once per axis.
  const index = new Int32Array(m * taps);
  const weight = new Float64Array(m * taps);
  for (let k = 0; k < m; k++) {
    let cc = (k + 0.5) * zoom - 0.5 + pad;
    cc = cc < 0 ? 0 : cc > len - 1 ? len - 1 : cc;
    if (order === 0) {
      index[k] = Math.min(Math.floor(cc + 0.5), len - 1);
      weight[k] = 1;
      continue;
    }
    const fl = Math.floor(cc);
    const t = cc - fl;
    if (order === 1) {
      const w0 = 1 - t;
      index[k * 2] = fl;
      index[k * 2 + 1] = mirrorIndex(fl + 1, len);
      weight[k * 2] = w0;
      weight[k * 2 + 1] = 1 - w0;
      continue;
    }
    const s = 1 - t;
    const w0 = (s * s * s) / 6;
    const w1 = (t * t * (t - 2) * 3 + 4) / 6;
    const w2 = (s * s * (s - 2) * 3 + 4) / 6;
    const ws = [w0, w1, w2, 1 - w0 - w1 - w2];
    for (let l = 0; l < 4; l++) {
      index[k * 4 + l] = mirrorIndex(fl - 1 + l, len);
      weight[k * 4 + l] = ws[l]!;
    }
  }
  const block = order === 3 ? new Float64Array(len * inner) : src;
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    let rows = o * n * inner;
    if (order === 3) {
      // Edge-pad and prefilter the whole [len, inner] block, vectorised over inner.
      for (let i = 0; i < len; i++) {
        const from = o * n * inner + (i < pad ? 0 : i >= pad + n ? n - 1 : i - pad) * inner;
        const to = i * inner;
        for (let j = 0; j < inner; j++) block[to + j] = src[from + j]! * SPLINE_GAIN;
      }
      filterBlock(block, 0, len, inner, acc);
      rows = 0;
    }
    const outBase = o * m * inner;
    for (let k = 0; k < m; k++) {
      const to = outBase + k * inner;
      for (let l = 0; l < taps; l++) {
        const w = weight[k * taps + l]!;
        const from = rows + index[k * taps + l]! * inner;
        for (let j = 0; j < inner; j++) out[to + j] = out[to + j]! + w * block[from + j]!;
      }
    }
  }
  return out;
}

/** Resamples a float64 (X, Y, Z) volume to `size` with {@link zoomAxis} along each axis. */
export function zoom3d(src: Float64Array, dims: readonly [number, number, number], size: readonly [number, number, number], order: ZoomOrder): Float64Array {
  const [X, Y, Z] = dims;
  const [MX, MY, MZ] = size;
  const a = zoomAxis(src, 1, X, Y * Z, MX, order);
  const b = zoomAxis(a, MX, Y, Z, MY, order);
  return zoomAxis(b, MX * MY, Z, 1, MZ, order);
}
