import type { Conv3DAttrs, Shape } from '@openmind/core';
import { int, ints, type GraphBuilder } from '../graph/graph-builder.js';
import type { LazyTensor } from '../graph/lazy-tensor.js';
import { im2colTiles, windowRows } from './im2col.js';
import { padKernel } from './shape-ops.js';

/** im2col bytes per tile: large enough for long GEMMs, small enough to stay in the last-level cache. */
const TILE_BYTES = 32 * 1024 * 1024;

/**
 * Gradient of conv3d with respect to its filter, shape wShape = [K, C/g, kd, kh, kw].
 *
 * dw[k, c, t] = Σ_{n, o} dy[n, k, o] · x[n, c, o·s + t·dil − p] is a GEMM of an im2col matrix
 * cols[(c, t), o] with dy[k, o]. The full im2col of a 64³ volume is 27× the input (gigabytes), so the
 * output positions are cut into tiles of whole (n, d) planes: per tile and W tap one Gather builds a
 * slab of cols (see im2col.ts) and one Gemm adds its share to that tap's accumulator. The GEMM is
 * oriented with the long (c, t) side as M (MLAS runs [864 × P] × [P × 32] about twice as fast as
 * [32 × P] × [P × 864]).
 *
 * (Measured alternatives: a Conv that treats the batch as channels runs at a tenth of the speed, since
 * MLAS handles its 64³ kernel with tiny im2col segments; 27 whole-volume tap windows times dy, one
 * GEMM each, at half the speed, bound by copying the windows through main memory.)
 */
export function conv3dBackpropFilterKernel(b: GraphBuilder, x: LazyTensor, dy: LazyTensor, wShape: Shape, attrs: Conv3DAttrs): LazyTensor {
  const [N, C, ...spatial] = x.shape as number[];
  const [, K, Do, Ho, Wo] = dy.shape as number[];
  const [, , kd, kh, kw] = wShape as number[];
  const g = attrs.groups;
  const Cg = C! / g;
  const Kg = K! / g;
  const f = 'float32' as const;
  const kdh = kd! * kh!;
  const plane = Ho! * Wo!;

  const xt = b.op('Transpose', [x], [ints('perm', [1, 0, 2, 3, 4])], { shape: [C!, N!, ...spatial], type: f });
  const xp = padKernel(b, xt, [[0, 0], [0, 0], ...attrs.padding.map((p) => [p, p] as const)], 0);
  const rows = windowRows(b, xp, kw!, Wo!, attrs.stride[2]!, attrs.dilation[2]!);
  const dyt = b.op('Transpose', [dy], [ints('perm', [1, 0, 2, 3, 4])], { shape: [K!, N!, Do!, Ho!, Wo!], type: f });
  const dyMat = b.op('Reshape', [dyt, b.int64s([K!, N! * Do! * plane])], [], { shape: [K!, N! * Do! * plane], type: f });

  const tilePlanes = Math.max(1, Math.floor(TILE_BYTES / (4 * C! * kdh * plane)));
  const kMajor = g === 1 && K! > C! * kdh;
  // One accumulator per W tap, each a chain through the tiles: the chain makes ORT finish a tile
  // before it gathers the next, so only one slab is alive at a time.
  const acc: (LazyTensor | undefined)[] = new Array(kw!).fill(undefined);
  for (const tile of im2colTiles(b, xp.shape, [N!, Do!, Ho!], [kd!, kh!], attrs, tilePlanes)) {
    const q = tile.planes * plane;
    const dyTile = b.op('Slice', [dyMat, b.int64s([tile.firstPlane * plane]), b.int64s([tile.firstPlane * plane + q]), b.int64s([1])], [], { shape: [K!, q], type: f });
    const dyG = g === 1 ? dyTile : b.op('Transpose', [b.op('Reshape', [dyTile, b.int64s([g, Kg, q])], [], { shape: [g, Kg, q], type: f })], [ints('perm', [0, 2, 1])], { shape: [g, q, Kg], type: f });
    rows.forEach((r, tw) => {
      const slab = b.op('Gather', [r, tile.index], [int('axis', 1)], { shape: [C!, kdh, tile.planes * Ho!, Wo!], type: f });
      const prev = acc[tw];
      if (g === 1) {
        // cols rows are (c, td, th); Gemm's third input accumulates the previous tiles. The longer
        // side is M (for a stem with C = 1 that is dy's K).
        const cols = b.op('Reshape', [slab, b.int64s([C! * kdh, q])], [], { shape: [C! * kdh, q], type: f });
        const ab = kMajor ? [dyTile, cols] : [cols, dyTile];
        const shape = kMajor ? [K!, C! * kdh] : [C! * kdh, K!];
        acc[tw] = b.op('Gemm', prev === undefined ? ab : [...ab, prev], [int('transB', 1)], { shape, type: f });
      } else {
        const cols = b.op('Reshape', [slab, b.int64s([g, Cg * kdh, q])], [], { shape: [g, Cg * kdh, q], type: f });
        const part = b.op('MatMul', [cols, dyG], [], { shape: [g, Cg * kdh, Kg], type: f });
        acc[tw] = prev === undefined ? part : b.op('Add', [prev, part], [], { shape: part.shape, type: f });
      }
    });
  }
  const perTap = [1, g, Cg, kd!, kh!, Kg];
  const cMajor = acc.map((a) => (kMajor ? b.op('Transpose', [a!], [ints('perm', [1, 0])], { shape: [C! * kdh, K!], type: f }) : a!));
  const stacked = b.op('Concat', cMajor.map((a) => b.op('Reshape', [a, b.int64s(perTap)], [], { shape: perTap, type: f })), [int('axis', 0)], { shape: [kw!, g, Cg, kd!, kh!, Kg], type: f });
  const ordered = b.op('Transpose', [stacked], [ints('perm', [1, 5, 2, 3, 4, 0])], { shape: [g, Kg, Cg, kd!, kh!, kw!], type: f });
  return b.op('Reshape', [ordered, b.int64s(wShape)], [], { shape: wShape, type: f });
}
