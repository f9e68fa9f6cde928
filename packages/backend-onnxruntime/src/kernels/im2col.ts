import type { Conv3DAttrs } from '@openmind-ssl/core';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { LazyTensor } from '../graph/lazy-tensor.js';
import { padKernel, stridedSlice } from './shape-ops.js';

/**
 * The zero-padded input as rows of the output width, one tensor per W tap:
 * rows[tw][n, c, dp·Hp + hp, wo] = xp[n, c, dp, hp, wo·s + tw·dil], xp being x padded on D, H and W.
 * These kw shifted copies are the only element-granular copies of the filter gradient; every other tap
 * offset then selects whole rows, which ONNX Gather copies as contiguous blocks.
 *
 * At W stride 1 each copy is a single Pad whose W pads may be negative (ORT crops there), so the
 * padded volume itself is never made.
 *
 * @param x [N, C, D, H, W]
 * @returns kw tensors [N, C, Dp·Hp, Wo]
 */
export function windowRows(b: GraphBuilder, x: LazyTensor, kw: number, wo: number, attrs: Conv3DAttrs): LazyTensor[] {
  const [N, C, D, H, W] = x.shape as number[];
  const [pd, ph, pw] = attrs.padding as [number, number, number];
  const sw = attrs.stride[2]!;
  const dw = attrs.dilation[2]!;
  const shape = [N!, C!, (D! + 2 * pd) * (H! + 2 * ph), wo];
  const asRows = (t: LazyTensor) => b.op('Reshape', [t, b.int64s(shape)], [], { shape, type: x.elemType });
  if (sw === 1) {
    return Array.from({ length: kw }, (_, tw) => {
      const before = pw - tw * dw;
      const after = wo - 1 + tw * dw - pw - (W! - 1);
      if (pd === 0 && ph === 0 && before === 0 && after === 0) return asRows(x);
      const pads = [0, 0, pd, ph, before, 0, 0, pd, ph, after];
      const padded = b.op('Pad', [x, b.int64s(pads), b.scalar(x.elemType, 0)], [{ name: 'mode', kind: 'string', value: 'constant' }], {
        shape: [N!, C!, D! + 2 * pd, H! + 2 * ph, wo], type: x.elemType,
      });
      return asRows(padded);
    });
  }
  const xp = padKernel(b, x, [[0, 0], [0, 0], [pd, pd], [ph, ph], [pw, pw]], 0);
  return Array.from({ length: kw }, (_, tw) => asRows(stridedSlice(b, xp, [4], [tw * dw], [wo], [sw])));
}

/**
 * The zero-padded input as rows of its full padded width: [N, C, Dp·Hp, Wp]. With W stride 1 the W
 * taps need no copies of their own: see conv3dBackpropFilterKernel.
 */
export function paddedRows(b: GraphBuilder, x: LazyTensor, attrs: Conv3DAttrs): LazyTensor {
  const [N, C, D, H, W] = x.shape as number[];
  const [pd, ph, pw] = attrs.padding as [number, number, number];
  const xp = padKernel(b, x, [[0, 0], [0, 0], [pd, pd], [ph, ph], [pw, pw]], 0);
  const shape = [N!, C!, (D! + 2 * pd) * (H! + 2 * ph), W! + 2 * pw];
  return b.op('Reshape', [xp, b.int64s(shape)], [], { shape, type: x.elemType });
}

/** One tile of output planes: which D planes (of every batch item), and the rows that gather its slab. */
export interface Im2colTile {
  readonly firstPlane: number;
  readonly planes: number;
  /** int32 [kd·kh, planes·Ho]: Gather(rows[tw], index, axis 2) → [N, C, kd·kh, planes·Ho, Wo]. */
  readonly index: LazyTensor;
}

/**
 * Cuts the output D planes into tiles of at most `tilePlanes` and makes the row indices of each tile's
 * im2col slab (the same rows in every batch item). Tiles of equal size share one index constant plus a
 * scalar offset, which keeps the model small.
 *
 * @param padded [Dp, Hp] of the padded input
 * @param out [Do, Ho]
 */
export function im2colTiles(
  b: GraphBuilder, padded: readonly [number, number], out: readonly [number, number], taps: readonly [number, number],
  attrs: Conv3DAttrs, tilePlanes: number,
): Im2colTile[] {
  const [, Hp] = padded;
  const [Do, Ho] = out;
  const [kd, kh] = taps;
  const [sd, sh] = attrs.stride as [number, number, number];
  const [dd, dh] = attrs.dilation as [number, number, number];
  const bases = new Map<number, LazyTensor>();
  const base = (planes: number): LazyTensor => {
    let t = bases.get(planes);
    if (t === undefined) {
      const idx: number[] = [];
      for (let td = 0; td < kd; td++) {
        for (let th = 0; th < kh; th++) {
          for (let d = 0; d < planes; d++) {
            for (let h = 0; h < Ho; h++) idx.push((d * sd + td * dd) * Hp + h * sh + th * dh);
          }
        }
      }
      t = b.constant('int32', [kd * kh, planes * Ho], idx);
      bases.set(planes, t);
    }
    return t;
  };
  const tiles: Im2colTile[] = [];
  for (let d0 = 0; d0 < Do; d0 += tilePlanes) {
    const planes = Math.min(tilePlanes, Do - d0);
    const b0 = base(planes);
    const offset = d0 * sd * Hp;
    const index = offset === 0 ? b0 : b.op('Add', [b0, b.scalar('int32', offset)], [], { shape: b0.shape, type: 'int32' });
    tiles.push({ firstPlane: d0, planes, index });
  }
  return tiles;
}
