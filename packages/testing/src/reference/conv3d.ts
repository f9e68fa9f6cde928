import type { Conv3DAttrs, Shape } from '@openmind-ssl/core';
import { sizeOf, windowOutputSize } from '@openmind-ssl/core';
import { RefTensor } from './ref-tensor.js';

/**
 * Visits every (input element, weight element, output element) triple that a conv3d multiplies together:
 * y[n, k, o] += x[n, g·C/groups + c, o·stride − padding + t·dilation] · w[k, c, t]. The forward pass and
 * both gradients are this one loop with a different accumulator, so the two backprops are the exact
 * adjoints of the forward by construction.
 */
function forEachTap(
  xShape: Shape, wShape: Shape, yShape: Shape, attrs: Conv3DAttrs,
  visit: (xi: number, wi: number, yi: number) => void,
): void {
  const [batch, channels, d, h, w] = xShape as [number, number, number, number, number];
  const [filters, groupChannels, kd, kh, kw] = wShape as [number, number, number, number, number];
  const [, , od, oh, ow] = yShape as [number, number, number, number, number];
  const [sd, sh, sw] = attrs.stride;
  const [pd, ph, pw] = attrs.padding;
  const [dd, dh, dw] = attrs.dilation;
  const filtersPerGroup = filters / attrs.groups;
  for (let n = 0; n < batch; n++) {
    for (let k = 0; k < filters; k++) {
      const group = Math.floor(k / filtersPerGroup);
      for (let z = 0; z < od; z++) for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) {
        const yi = (((n * filters + k) * od + z) * oh + y) * ow + x;
        for (let c = 0; c < groupChannels; c++) {
          const xc = group * groupChannels + c;
          for (let tz = 0; tz < kd; tz++) {
            const iz = z * sd - pd + tz * dd;
            if (iz < 0 || iz >= d) continue;
            for (let ty = 0; ty < kh; ty++) {
              const iy = y * sh - ph + ty * dh;
              if (iy < 0 || iy >= h) continue;
              for (let tx = 0; tx < kw; tx++) {
                const ix = x * sw - pw + tx * dw;
                if (ix < 0 || ix >= w) continue;
                const xi = (((n * channels + xc) * d + iz) * h + iy) * w + ix;
                const wi = (((k * groupChannels + c) * kd + tz) * kh + ty) * kw + tx;
                visit(xi, wi, yi);
              }
            }
          }
        }
      }
    }
  }
}

export function conv3d(x: RefTensor, w: RefTensor, attrs: Conv3DAttrs): RefTensor {
  const yShape = [x.shape[0]!, w.shape[0]!, ...[0, 1, 2].map((i) => windowOutputSize(
    x.shape[2 + i]!, w.shape[2 + i]!, attrs.stride[i]!, attrs.padding[i]!, attrs.dilation[i]!,
  ))];
  const y = new Float64Array(sizeOf(yShape));
  forEachTap(x.shape, w.shape, yShape, attrs, (xi, wi, yi) => {
    y[yi]! += x.values[xi]! * w.values[wi]!;
  });
  return new RefTensor(yShape, x.dtype, y);
}

export function conv3dBackpropInput(dy: RefTensor, w: RefTensor, xShape: Shape, attrs: Conv3DAttrs): RefTensor {
  const dx = new Float64Array(sizeOf(xShape));
  forEachTap(xShape, w.shape, dy.shape, attrs, (xi, wi, yi) => {
    dx[xi]! += dy.values[yi]! * w.values[wi]!;
  });
  return new RefTensor([...xShape], dy.dtype, dx);
}

export function conv3dBackpropFilter(x: RefTensor, dy: RefTensor, wShape: Shape, attrs: Conv3DAttrs): RefTensor {
  const dw = new Float64Array(sizeOf(wShape));
  forEachTap(x.shape, wShape, dy.shape, attrs, (xi, wi, yi) => {
    dw[wi]! += x.values[xi]! * dy.values[yi]!;
  });
  return new RefTensor([...wShape], x.dtype, dw);
}
