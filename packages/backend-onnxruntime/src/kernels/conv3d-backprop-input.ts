import type { Conv3DAttrs, Shape } from '@openmind-ssl/core';
import { int, ints, type GraphBuilder } from '../graph/graph-builder.js';
import type { LazyTensor } from '../graph/lazy-tensor.js';
import { axisPhases, phaseWindow, type AxisPhase } from './conv-phases.js';
import { fillKernel } from './fill.js';
import { padKernel, sliceKernel } from './shape-ops.js';

/** w [K, C/g, k…] → [C, K/g, k…]: the weights of the convolution that maps dy back to x. */
function swapChannels(b: GraphBuilder, w: LazyTensor, groups: number): LazyTensor {
  const [K, Cg, ...k] = w.shape as number[];
  const out = { shape: [Cg! * groups, K! / groups, ...k], type: w.elemType };
  if (groups === 1) return b.op('Transpose', [w], [ints('perm', [1, 0, 2, 3, 4])], out);
  const split = b.op('Reshape', [w, b.int64s([groups, K! / groups, Cg!, ...k])], [], { shape: [groups, K! / groups, Cg!, ...k], type: w.elemType });
  const t = b.op('Transpose', [split], [ints('perm', [0, 2, 1, 3, 4, 5])], { shape: [groups, Cg!, K! / groups, ...k], type: w.elemType });
  return b.op('Reshape', [t, b.int64s(out.shape)], [], out);
}

/**
 * Picks (and orders) the taps of one phase, [K, C/g, k…] → [K, C/g, taps…], as one MatMul with a 0/1
 * selection matrix: for stride 1 it flips the kernel. ORT copies Gathers and negative-step Slices over
 * the small tap axes element by element (10 ms for a 256-channel kernel); the MatMul takes under 1 ms
 * and is exact (each output is one weight times 1 plus zeros), except that a weight that is already
 * NaN or infinite spreads NaN to the other taps of its (k, c) pair.
 */
function subKernel(b: GraphBuilder, w: LazyTensor, phase: readonly AxisPhase[]): LazyTensor {
  const [K, Cg, ...k] = w.shape as number[];
  const taps = phase.map((p) => p.taps);
  if (taps.every((t, a) => t.length === k[a] && t.every((v, j) => v === j))) return w;
  const all = k.reduce((p, n) => p * n, 1);
  const picked: number[] = [];
  for (const td of taps[0]!) for (const th of taps[1]!) for (const tw of taps[2]!) picked.push((td * k[1]! + th) * k[2]! + tw);
  const select = new Array<number>(all * picked.length).fill(0);
  picked.forEach((t, j) => { select[t * picked.length + j] = 1; });
  const f = w.elemType;
  const rows = b.op('Reshape', [w, b.int64s([K! * Cg!, all])], [], { shape: [K! * Cg!, all], type: f });
  const chosen = b.op('MatMul', [rows, b.constant(f, [all, picked.length], select)], [], { shape: [K! * Cg!, picked.length], type: f });
  const shape = [K!, Cg!, ...taps.map((t) => t.length)];
  return b.op('Reshape', [chosen, b.int64s(shape)], [], { shape, type: f });
}

/** One phase: a stride-1 convolution of (a window of) dy with a sub-kernel → [N, C, countD, countH, countW]. */
function phaseConv(b: GraphBuilder, dy: LazyTensor, w: LazyTensor, phase: readonly AxisPhase[], groups: number): LazyTensor {
  const [N] = dy.shape as number[];
  const C = w.shape[1]! * groups;
  const counts = phase.map((p) => p.count);
  const outShape = [N!, C, ...counts];
  if (phase.some((p) => p.taps.length === 0 || p.count === 0)) return fillKernel(b, outShape, 'float32', 0);
  const windows = phase.map((p, a) => phaseWindow(p, dy.shape[2 + a]!));
  if (windows.some((w) => w.sliceEnd <= w.sliceStart)) return fillKernel(b, outShape, 'float32', 0);
  const begin = [0, 0, ...windows.map((w) => w.sliceStart)];
  const size = [dy.shape[0]!, dy.shape[1]!, ...windows.map((w) => w.sliceEnd - w.sliceStart)];
  const src = sliceKernel(b, dy, begin, size);
  // Select the taps first: the channel swap then moves only the weights this phase uses.
  const kernel = swapChannels(b, subKernel(b, w, phase), groups);
  return b.op('Conv', [src, kernel], [
    ints('kernel_shape', phase.map((p) => p.taps.length)),
    ints('dilations', phase.map((p) => p.dilation)),
    ints('pads', [...windows.map((w) => w.padBefore), ...windows.map((w) => w.padAfter)]),
    int('group', groups),
  ], { shape: outShape, type: 'float32' });
}

/** Up to this many (input channel × tap) rows, the GEMM + col2im form beats a Conv with C output channels. */
const GEMM_COL2IM_MAX_ROWS = 32;

/**
 * Input-gradient for few input channels (a network's stem, C = 1): a Conv producing C = 1 channel is
 * a GEMM with M = 1, which MLAS runs at a fraction of its speed. Instead one MatMul makes every tap's
 * contribution, Z[n, (c, t), o] = Σ_k w[k, c, t]·dy[n, k, o], and col2im adds the taps at their
 * offsets (each tap a zero-padded copy of one channel volume, then one Sum).
 */
function gemmCol2im(b: GraphBuilder, dy: LazyTensor, w: LazyTensor, xShape: Shape, attrs: Conv3DAttrs): LazyTensor {
  const f = 'float32' as const;
  const [K, C, ...kernel] = w.shape as number[];
  const [N, , ...outSpatial] = dy.shape as number[];
  const taps = kernel.reduce((p, k) => p * k, 1);
  const P = outSpatial.reduce((p, d) => p * d, 1);
  const wMat = b.op('Reshape', [w, b.int64s([K!, C! * taps])], [], { shape: [K!, C! * taps], type: f });
  const wT = b.op('Transpose', [wMat], [ints('perm', [1, 0])], { shape: [C! * taps, K!], type: f });
  const dyMat = b.op('Reshape', [dy, b.int64s([N!, K!, P])], [], { shape: [N!, K!, P], type: f });
  const z = b.op('MatMul', [wT, dyMat], [], { shape: [N!, C! * taps, P], type: f });
  const zt = b.op('Reshape', [z, b.int64s([N!, C!, taps, ...outSpatial])], [], { shape: [N!, C!, taps, ...outSpatial], type: f });
  const padded = xShape.slice(2).map((d, a) => d + 2 * attrs.padding[a]!);
  const parts: LazyTensor[] = [];
  for (let t = 0; t < taps; t++) {
    const at = [Math.floor(t / (kernel[1]! * kernel[2]!)), Math.floor(t / kernel[2]!) % kernel[1]!, t % kernel[2]!];
    const slab = b.op('Slice', [zt, b.int64s([t]), b.int64s([t + 1]), b.int64s([2])], [], { shape: [N!, C!, 1, ...outSpatial], type: f });
    const vol = b.op('Reshape', [slab, b.int64s([N!, C!, ...outSpatial])], [], { shape: [N!, C!, ...outSpatial], type: f });
    const before = at.map((k, a) => k * attrs.dilation[a]!);
    parts.push(padKernel(b, vol, [[0, 0], [0, 0], ...before.map((p, a) => [p, padded[a]! - outSpatial[a]! - p] as const)], 0));
  }
  const sum = b.op('Sum', parts, [], { shape: [N!, C!, ...padded], type: f });
  return sliceKernel(b, sum, [0, 0, ...attrs.padding], xShape);
}

/**
 * Gradient of conv3d with respect to its input, shape `xShape`. Stride 1 is a single convolution with
 * flipped, channel-swapped weights (MLAS's fast Conv; ORT's ConvTranspose is 5–10× slower here). A
 * stride s splits into s³ phase convolutions whose outputs are interleaved by three Concats.
 */
export function conv3dBackpropInputKernel(b: GraphBuilder, dy: LazyTensor, w: LazyTensor, xShape: Shape, attrs: Conv3DAttrs): LazyTensor {
  const taps = w.shape.slice(2).reduce((p, k) => p * k, 1);
  if (attrs.groups === 1 && attrs.stride.every((s) => s === 1) && xShape[1]! * taps <= GEMM_COL2IM_MAX_ROWS) {
    return gemmCol2im(b, dy, w, xShape, attrs);
  }
  const perAxis = [0, 1, 2].map((a) =>
    axisPhases(xShape[2 + a]!, w.shape[2 + a]!, attrs.stride[a]!, attrs.padding[a]!, attrs.dilation[a]!));
  const [sd, sh, sw] = attrs.stride;
  if (sd === 1 && sh === 1 && sw === 1) return phaseConv(b, dy, w, perAxis.map((p) => p[0]!), attrs.groups);

  const [N, C] = xShape as number[];
  const [Md, Mh, Mw] = perAxis.map((p) => p[0]!.count) as [number, number, number];
  const f = 'float32' as const;
  const phaseOut = (rd: number, rh: number, rw: number): LazyTensor => {
    const phase = [perAxis[0]![rd]!, perAxis[1]![rh]!, perAxis[2]![rw]!];
    const y = phaseConv(b, dy, w, phase, attrs.groups);
    // Phases past the end of an axis of odd size are one shorter; pad them to a common size.
    return padKernel(b, y, [[0, 0], [0, 0], [0, Md - phase[0]!.count], [0, Mh - phase[1]!.count], [0, Mw - phase[2]!.count]], 0);
  };
  // Interleave innermost axis first, each step one Concat whose blocks grow (W: single elements,
  // H: rows, D: planes). Measured faster than stacking the s³ phases and one 8-D Transpose.
  const reshape = (t: LazyTensor, shape: number[]) => b.op('Reshape', [t, b.int64s(shape)], [], { shape, type: f });
  const interleave = (parts: LazyTensor[], axis: number, shape: number[]) =>
    (parts.length === 1 ? parts[0]! : b.op('Concat', parts, [int('axis', axis)], { shape, type: f }));
  const planes: LazyTensor[] = [];
  for (let rd = 0; rd < sd; rd++) {
    const rowsOfPlane: LazyTensor[] = [];
    for (let rh = 0; rh < sh; rh++) {
      const cols = Array.from({ length: sw }, (_, rw) => reshape(phaseOut(rd, rh, rw), [N!, C!, Md, Mh, Mw, 1]));
      const w = interleave(cols, 5, [N!, C!, Md, Mh, Mw, sw]);
      rowsOfPlane.push(reshape(w, [N!, C!, Md, Mh, 1, Mw * sw]));
    }
    const h = interleave(rowsOfPlane, 4, [N!, C!, Md, Mh, sh, Mw * sw]);
    planes.push(reshape(h, [N!, C!, Md, 1, Mh * sh * Mw * sw]));
  }
  const d = interleave(planes, 3, [N!, C!, Md, sd, Mh * sh * Mw * sw]);
  const dx = reshape(d, [N!, C!, Md * sd, Mh * sh, Mw * sw]);
  return sliceKernel(b, dx, [0, 0, 0, 0, 0], xShape);
}
