import type { Conv3DAttrs, Shape } from '@openmind-ssl/core';
import type { Uniform } from '../runtime/program.js';

/** Every size of one convolution: x [N, C, D, H, W], w [K, C/G, KD, KH, KW], y [N, K, OD, OH, OW]. */
export interface ConvGeometry {
  readonly n: number; readonly c: number; readonly d: number; readonly h: number; readonly w: number;
  readonly k: number; readonly od: number; readonly oh: number; readonly ow: number;
  readonly kd: number; readonly kh: number; readonly kw: number;
  readonly stride: readonly [number, number, number];
  readonly padding: readonly [number, number, number];
  readonly dilation: readonly [number, number, number];
  readonly groups: number;
  /** Input channels per group (C/G) and output channels per group (K/G). */
  readonly cg: number;
  readonly kg: number;
  /** Taps of one filter: KD·KH·KW. */
  readonly taps: number;
}

export function convGeometry(xShape: Shape, wShape: Shape, yShape: Shape, attrs: Conv3DAttrs): ConvGeometry {
  const [n, c, d, h, w] = xShape as [number, number, number, number, number];
  const [k, cg, kd, kh, kw] = wShape as [number, number, number, number, number];
  const [, , od, oh, ow] = yShape as [number, number, number, number, number];
  return {
    n, c, d, h, w, k, od, oh, ow, kd, kh, kw,
    stride: attrs.stride, padding: attrs.padding, dilation: attrs.dilation, groups: attrs.groups,
    cg, kg: k / attrs.groups, taps: kd * kh * kw,
  };
}

/** The geometry as uniforms `P.N … P.DW` (so one pipeline serves every convolution of a kind). */
export function convUniforms(g: ConvGeometry, extra: readonly Uniform[] = []): Uniform[] {
  const named: [string, number][] = [
    ['N', g.n], ['C', g.c], ['D', g.d], ['H', g.h], ['W', g.w], ['K', g.k], ['OD', g.od], ['OH', g.oh], ['OW', g.ow],
    ['KD', g.kd], ['KH', g.kh], ['KW', g.kw], ['SD', g.stride[0]], ['SH', g.stride[1]], ['SW', g.stride[2]],
    ['PD', g.padding[0]], ['PH', g.padding[1]], ['PW', g.padding[2]],
    ['DD', g.dilation[0]], ['DH', g.dilation[1]], ['DW', g.dilation[2]],
    ['G', g.groups], ['CG', g.cg], ['KG', g.kg], ['TAPS', g.taps],
  ];
  return [...named.map(([name, value]) => ({ name, value })), ...extra];
}

/**
 * Register block of the convolution kernels: rows (output channels, or input channels for the input
 * gradient) × columns (voxels along W, or input channels for the filter gradient). Rows are shared by
 * all invocations of a workgroup row and cost little to load, so they get the larger block; 8 × 4 was
 * fastest on lavapipe (about 1.5–2× over 4 × 4 in CPU time for 32 → 32 channels at 32³).
 */
export const REGISTER_BLOCK = { rows: 8, cols: 4 } as const;

/** Register block along one axis: a power of two up to `max`, fewer when the axis is shorter (depthwise, tiny widths). */
export function blockSize(extent: number, max = 4): number {
  let b = 1;
  while (b * 2 <= Math.min(extent, max)) b *= 2;
  return b;
}

/** Index lists 0…n−1, for unrolling register blocks in generated code. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
