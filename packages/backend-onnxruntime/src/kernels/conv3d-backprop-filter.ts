import type { Conv3DAttrs, Shape } from '@openmind-ssl/core';
import { int, ints, type GraphBuilder } from '../graph/graph-builder.js';
import type { LazyTensor } from '../graph/lazy-tensor.js';
import { im2colTiles, paddedRows, windowRows } from './im2col.js';

/** im2col bytes per tile: long GEMMs, and few enough that a tile's slab stays in the last-level cache. */
const TILE_BYTES = 32 * 1024 * 1024;

/**
 * Whether moving the W taps to dy (see below) pays: it multiplies with Wp − Wo padding columns (extra
 * GEMM work, so only when they are at most an eighth of a row) and trades 27 slab copies of x per row
 * of the output width (plus their reads and the W-shifted copies) for 9 at the padded width plus kw
 * padded and concatenated copies of dy: a loss for a stem with C = 1 and K = 16, about half the memory
 * traffic at C = K = 16.
 */
function flatWPays(C: number, K: number, Wo: number, Wp: number): boolean {
  return (Wp - Wo) * 8 <= Wo && (19 * C + 9 * K) * Wp < 60 * C * Wo;
}

/**
 * Gradient of conv3d with respect to its filter, shape wShape = [K, C/g, kd, kh, kw].
 *
 * dw[k, c, t] = Σ_{n, o} dy[n, k, o] · x[n, c, o·s + t·dil − p] is, per batch item, a GEMM of an im2col
 * matrix with dy; the batch items are a batch of MatMuls summed at the end, so neither x nor dy is
 * transposed. The full im2col of a 64³ volume is 27× the input (gigabytes), so the output D planes are
 * cut into tiles, and per tile a Gather of whole rows (see im2col.ts) builds a slab of it.
 *
 * With W stride 1 the slab holds only the kd·kh row taps, each row at the full padded width Wp, and
 * the W taps are moved to dy instead: flattened with row pitch Wp, tap tw of x is x shifted by tw·dil,
 * and Σ_m dy[m]·x[m + tw] = Σ_m dy'[m]·x[m] with dy' = dy shifted the other way, zero-padded per row to
 * Wp (the zero columns absorb the shift, since Wp − Wo = (kw − 1)·dil). So one GEMM per tile multiplies
 * a 9× (not 27×) copy of x with the kw shifted copies of dy side by side. Other W strides gather one
 * slab per W tap from W-shifted copies of x.
 *
 * `tileBytes` bounds a tile's slab (tests make it small to cover several tiles).
 *
 * The GEMM is oriented with the longer side as M (MLAS runs [864 × P] × [P × 32] about twice as fast as
 * [32 × P] × [P × 864]). (Measured alternatives: a Conv that treats the batch as channels runs at a
 * tenth of the speed, since MLAS handles its 64³ kernel with tiny im2col segments.)
 */
export function conv3dBackpropFilterKernel(
  b: GraphBuilder, x: LazyTensor, dy: LazyTensor, wShape: Shape, attrs: Conv3DAttrs, tileBytes = TILE_BYTES,
): LazyTensor {
  const [N, C, D, H] = x.shape as number[];
  const [, K, Do, Ho, Wo] = dy.shape as number[];
  const [, Cg, kd, kh, kw] = wShape as number[];
  const g = attrs.groups;
  const Kg = K! / g;
  const f = 'float32' as const;
  const kdh = kd! * kh!;
  const M = Cg! * kdh;
  const Dp = D! + 2 * attrs.padding[0]!;
  const Hp = H! + 2 * attrs.padding[1]!;
  const Wp = x.shape[4]! + 2 * attrs.padding[2]!;
  const flatW = attrs.stride[2] === 1 && flatWPays(C!, K!, Wo!, Wp);
  // Batch axes of every GEMM operand: [N] or, with groups, [N, g].
  const lead = g === 1 ? [N!] : [N!, g];
  const reshape = (t: LazyTensor, shape: number[]) => b.op('Reshape', [t, b.int64s(shape)], [], { shape, type: f });
  const swapLast = (t: LazyTensor) => {
    const r = t.shape.length;
    const perm = [...Array(r - 2).keys(), r - 1, r - 2];
    // ORT fuses a Transpose of the last two axes into the MatMul (FusedMatMul): no copy at run time.
    return b.op('Transpose', [t], [ints('perm', perm)], { shape: perm.map((p) => t.shape[p]!), type: f });
  };
  // The GEMM gives [lead, M, n], or [lead, n, M] when dy's side is the longer one (transposed once at
  // the end). Batch items are either a batch of MatMuls summed afterwards or, where the product per
  // item is larger than its operands (small volumes, many channels), moved into the contraction.
  let dyMajor = false;
  let foldN = false;
  const gl = g === 1 ? [] : [g];
  const gemm = (cols: LazyTensor, dyRows: LazyTensor): LazyTensor => {
    const n = dyRows.shape.at(-2)!;
    const q = cols.shape.at(-1)!;
    dyMajor = n > M;
    foldN = N! > 1 && (M + n) * q < 3 * M * n;
    let a = cols;
    let d = dyRows;
    if (foldN) {
      const perm = g === 1 ? [1, 0, 2] : [1, 2, 0, 3];
      const fold = (t: LazyTensor, rows: number) => reshape(
        b.op('Transpose', [t], [ints('perm', perm)], { shape: perm.map((p) => t.shape[p]!), type: f }), [...gl, rows, N! * q]);
      a = fold(cols, M);
      d = fold(dyRows, n);
    }
    const outLead = foldN ? gl : lead;
    return dyMajor
      ? b.op('MatMul', [d, swapLast(a)], [], { shape: [...outLead, n, M], type: f })
      : b.op('MatMul', [a, swapLast(d)], [], { shape: [...outLead, M, n], type: f });
  };
  const source = flatW ? [paddedRows(b, x, attrs)] : windowRows(b, x, kw!, Wo!, attrs);
  const width = source[0]!.shape[3]!;
  const tilePlanes = Math.max(1, Math.floor(tileBytes / (4 * N! * C! * kdh * Ho! * width)));
  // One accumulator per slab source, each a chain through the tiles: the chain makes ORT finish a tile
  // before it gathers the next, so only one slab is alive at a time.
  const acc: (LazyTensor | undefined)[] = new Array(source.length).fill(undefined);
  for (const tile of im2colTiles(b, [Dp, Hp], [Do!, Ho!], [kd!, kh!], attrs, tilePlanes)) {
    const q = tile.planes * Ho! * width;
    const dyPlanes = tile.planes === Do ? dy : b.op('Slice', [dy, b.int64s([tile.firstPlane]), b.int64s([tile.firstPlane + tile.planes]), b.int64s([2])], [], {
      shape: [N!, K!, tile.planes, Ho!, Wo!], type: f,
    });
    const dyG = reshape(dyPlanes, [...lead, Kg, tile.planes * Ho!, Wo!]);
    let dyRows: LazyTensor[];
    if (flatW) {
      const dil = attrs.dilation[2]!;
      const shifted = Array.from({ length: kw! }, (_, tw) => {
        const pads = lead.map(() => 0).concat([0, 0, tw * dil]).concat(lead.map(() => 0), [0, 0, width - Wo! - tw * dil]);
        return b.op('Pad', [dyG, b.int64s(pads), b.scalar(f, 0)], [{ name: 'mode', kind: 'string', value: 'constant' }], {
          shape: [...lead, Kg, tile.planes * Ho!, width], type: f,
        });
      });
      const all = shifted.length === 1 ? shifted[0]! : b.op('Concat', shifted, [int('axis', lead.length)], { shape: [...lead, kw! * Kg, tile.planes * Ho!, width], type: f });
      dyRows = [reshape(all, [...lead, kw! * Kg, q])];
    } else {
      dyRows = source.map(() => reshape(dyG, [...lead, Kg, q]));
    }
    source.forEach((r, i) => {
      const slab = b.op('Gather', [r, tile.index], [int('axis', 2)], { shape: [N!, C!, kdh, tile.planes * Ho!, width], type: f });
      const part = gemm(reshape(slab, [...lead, M, q]), dyRows[i]!);
      const prev = acc[i];
      acc[i] = prev === undefined ? part : b.op('Add', [prev, part], [], { shape: part.shape, type: f });
    });
  }
  // Sum the batch items and bring the taps innermost: [g, kw, Kg, M] or [g, M, kw, Kg] → [g, Kg, M, kw].
  // The group axis is left out when there is one group: ORT moves a single axis quickly, while a 4-D
  // permutation took it 15 ms for a 256-channel filter.
  const summed = acc.map((a) => (foldN ? a! : b.op('ReduceSum', [a!, b.int64s([0])], [int('keepdims', 0)], { shape: a!.shape.slice(1), type: f })));
  const stackAt = (axis: number, shape: number[]) => (summed.length === 1
    ? reshape(summed[0]!, shape)
    : b.op('Concat', summed.map((t) => reshape(t, shape.map((d, i) => (i === axis ? d / summed.length : d)))), [int('axis', axis)], { shape, type: f }));
  const ordered = dyMajor
    ? b.op('Transpose', [stackAt(gl.length, [...gl, kw!, Kg, M])], [ints('perm', g === 1 ? [1, 2, 0] : [0, 2, 3, 1])], { shape: [...gl, Kg, M, kw!], type: f })
    : b.op('Transpose', [stackAt(gl.length + 1, [...gl, M, kw!, Kg])], [ints('perm', g === 1 ? [2, 0, 1] : [0, 3, 1, 2])], { shape: [...gl, Kg, M, kw!], type: f });
  return reshape(ordered, wShape as number[]);
}
