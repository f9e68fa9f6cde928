import type { Conv3DAttrs, Shape } from '@openmind/core';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { LazyTensor } from '../graph/lazy-tensor.js';
import { stridedSlice } from './shape-ops.js';

/**
 * The padded input, channels first, as rows of the output width, one tensor per W tap:
 * rows[tw][c, (n, dp, hp), wo] = xp[c, n, dp, hp, wo·s + tw·dil]. These kw shifted copies are the only
 * element-granular copies; every other tap offset then selects whole rows, which ONNX Gather copies
 * as contiguous blocks.
 *
 * @param xp [C, N, Dp, Hp, Wp] (padded)
 * @returns kw tensors [C, N·Dp·Hp, Wo]
 */
export function windowRows(b: GraphBuilder, xp: LazyTensor, kw: number, wo: number, stride: number, dilation: number): LazyTensor[] {
  const [C, N, Dp, Hp] = xp.shape as number[];
  const shape = [C!, N! * Dp! * Hp!, wo];
  return Array.from({ length: kw }, (_, tw) => {
    const s = stridedSlice(b, xp, [4], [tw * dilation], [wo], [stride]);
    return b.op('Reshape', [s, b.int64s(shape)], [], { shape, type: xp.elemType });
  });
}

/** One tile of output planes: which planes, and the row indices that gather its im2col slab. */
export interface Im2colTile {
  /** First output plane (planes are (n, d) pairs, n-major). */
  readonly firstPlane: number;
  readonly planes: number;
  /** int32 [kd·kh, planes·Ho]: Gather(rows[tw], index, axis 1) → [C, kd·kh, planes·Ho, Wo]. */
  readonly index: LazyTensor;
}

/**
 * Cuts the output positions into tiles of at most `tilePlanes` whole (n, d) planes (never splitting a
 * batch item in two unless a tile is smaller than one item) and makes the row indices of each tile's
 * im2col slab. Tiles of equal size share one index constant plus a scalar offset, which keeps the
 * model small.
 *
 * @param xpShape [C, N, Dp, Hp, Wp] of the padded input
 * @param out [N, Do, Ho]
 */
export function im2colTiles(
  b: GraphBuilder, xpShape: Shape, out: readonly [number, number, number], taps: readonly [number, number],
  attrs: Conv3DAttrs, tilePlanes: number,
): Im2colTile[] {
  const [, , Dp, Hp] = xpShape as number[];
  const [N, Do, Ho] = out;
  const [kd, kh] = taps;
  const [sd, sh] = attrs.stride;
  const [dd, dh] = attrs.dilation;
  const bases = new Map<string, LazyTensor>();
  const base = (nCount: number, dCount: number): LazyTensor => {
    const key = `${nCount}x${dCount}`;
    let t = bases.get(key);
    if (t === undefined) {
      const idx: number[] = [];
      for (let td = 0; td < kd; td++) {
        for (let th = 0; th < kh; th++) {
          for (let nn = 0; nn < nCount; nn++) {
            for (let d = 0; d < dCount; d++) {
              for (let h = 0; h < Ho; h++) idx.push((nn * Dp! + d * sd! + td * dd!) * Hp! + h * sh! + th * dh!);
            }
          }
        }
      }
      t = b.constant('int32', [kd * kh, nCount * dCount * Ho], idx);
      bases.set(key, t);
    }
    return t;
  };

  const ranges: { n0: number; d0: number; nCount: number; dCount: number }[] = [];
  if (tilePlanes >= Do) {
    const perTile = Math.floor(tilePlanes / Do);
    for (let n0 = 0; n0 < N; n0 += perTile) ranges.push({ n0, d0: 0, nCount: Math.min(perTile, N - n0), dCount: Do });
  } else {
    for (let n0 = 0; n0 < N; n0++) {
      for (let d0 = 0; d0 < Do; d0 += tilePlanes) ranges.push({ n0, d0, nCount: 1, dCount: Math.min(tilePlanes, Do - d0) });
    }
  }

  return ranges.map(({ n0, d0, nCount, dCount }) => {
    const offset = (n0 * Dp! + d0 * sd!) * Hp!;
    const b0 = base(nCount, dCount);
    const index = offset === 0 ? b0 : b.op('Add', [b0, b.scalar('int32', offset)], [], { shape: b0.shape, type: 'int32' });
    return { firstPlane: n0 * Do + d0, planes: nCount * dCount, index };
  });
}
