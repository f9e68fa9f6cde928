import type { Pool3DAttrs, Shape } from '@openmind-ssl/core';
import { sizeOf, windowOutputSize } from '@openmind-ssl/core';
import { RefTensor } from './ref-tensor.js';

/**
 * Calls `visit(window, xIndices)` for each output element with the flat input indices its window covers
 * inside the input, in (d, h, w) scan order. Taps in the padding are left out: for max pooling they are
 * −∞ and never win, for average pooling they are zeros that only count in the divisor.
 */
function forEachWindow(xShape: Shape, attrs: Pool3DAttrs, visit: (yi: number, taps: number[]) => void): Shape {
  const [batch, channels, d, h, w] = xShape as [number, number, number, number, number];
  const [kd, kh, kw] = attrs.kernelSize;
  const [sd, sh, sw] = attrs.stride;
  const [pd, ph, pw] = attrs.padding;
  const od = windowOutputSize(d, kd, sd, pd);
  const oh = windowOutputSize(h, kh, sh, ph);
  const ow = windowOutputSize(w, kw, sw, pw);
  let yi = 0;
  for (let nc = 0; nc < batch * channels; nc++) {
    for (let z = 0; z < od; z++) for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) {
      const taps: number[] = [];
      for (let tz = 0; tz < kd; tz++) {
        const iz = z * sd - pd + tz;
        if (iz < 0 || iz >= d) continue;
        for (let ty = 0; ty < kh; ty++) {
          const iy = y * sh - ph + ty;
          if (iy < 0 || iy >= h) continue;
          for (let tx = 0; tx < kw; tx++) {
            const ix = x * sw - pw + tx;
            if (ix >= 0 && ix < w) taps.push(((nc * d + iz) * h + iy) * w + ix);
          }
        }
      }
      visit(yi++, taps);
    }
  }
  return [batch, channels, od, oh, ow];
}

/** The first tap holding the window's largest value (−1 for a window entirely in padding). */
function firstMax(values: Float64Array, taps: readonly number[]): number {
  let best = -1;
  for (const t of taps) if (best < 0 || values[t]! > values[best]!) best = t;
  return best;
}

export function pool3d(x: RefTensor, attrs: Pool3DAttrs): RefTensor {
  const volume = attrs.kernelSize[0] * attrs.kernelSize[1] * attrs.kernelSize[2];
  const out: number[] = [];
  const shape = forEachWindow(x.shape, attrs, (yi, taps) => {
    if (attrs.mode === 'max') {
      const best = firstMax(x.values, taps);
      out[yi] = best < 0 ? -Infinity : x.values[best]!;
    } else {
      out[yi] = taps.reduce((acc, t) => acc + x.values[t]!, 0) / volume;
    }
  });
  return new RefTensor(shape, x.dtype, Float64Array.from(out));
}

/** Max: dy goes to the first maximum of each window. Avg: dy / window volume goes to every in-bounds tap. */
export function pool3dBackprop(dy: RefTensor, x: RefTensor, attrs: Pool3DAttrs): RefTensor {
  const volume = attrs.kernelSize[0] * attrs.kernelSize[1] * attrs.kernelSize[2];
  const dx = new Float64Array(sizeOf(x.shape));
  forEachWindow(x.shape, attrs, (yi, taps) => {
    const g = dy.values[yi]!;
    if (attrs.mode === 'max') {
      const best = firstMax(x.values, taps);
      if (best >= 0) dx[best]! += g;
    } else {
      for (const t of taps) dx[t]! += g / volume;
    }
  });
  return new RefTensor(x.shape, x.dtype, dx);
}
