import type { Conv3DAttrs, Shape } from '@openmind-ssl/core';
import { windowOutputSize } from '@openmind-ssl/core';
import type { FilterSplit } from '../programs/conv3d-backprop-filter.wgsl.js';
import { convBackpropFilterRegisterProgram } from '../programs/conv3d-backprop-filter.wgsl.js';
import { convBackpropInputRegisterProgram } from '../programs/conv3d-backprop-input.wgsl.js';
import { convForwardRegisterProgram } from '../programs/conv3d-forward.wgsl.js';
import type { ConvGeometry } from '../programs/conv3d-geometry.js';
import { REGISTER_BLOCK, blockSize, convGeometry } from '../programs/conv3d-geometry.js';
import {
  convBackpropFilterTiledProgram, convBackpropInputTiledProgram, convForwardTiledProgram,
} from '../programs/conv3d-tiled.wgsl.js';
import type { KernelVariant } from '../runtime/adapter-profile.js';
import type { GpuTensor } from '../runtime/gpu-tensor.js';
import type { WebGpuSession } from '../webgpu-backend.js';
import { reduce } from './reduce.js';

/** Longest run of products one invocation sums for the filter gradient (keeps float32 sums accurate). */
const MAX_CHAIN = 16384;

function outputShape(x: Shape, w: Shape, a: Conv3DAttrs): number[] {
  return [x[0]!, w[0]!, ...[0, 1, 2].map((i) => windowOutputSize(x[2 + i]!, w[2 + i]!, a.stride[i]!, a.padding[i]!, a.dilation[i]!))];
}

export function conv3d(s: WebGpuSession, x: GpuTensor, w: GpuTensor, attrs: Conv3DAttrs, variant?: KernelVariant): GpuTensor {
  const yShape = outputShape(x.shape, w.shape, attrs);
  const out = s.runtime.allocate(yShape, 'float32');
  const g = convGeometry(x.shape, w.shape, yShape, attrs);
  s.runtime.run((variant ?? s.profile.variant) === 'tiled'
    ? convForwardTiledProgram(g, x, w, out)
    : convForwardRegisterProgram(g, x, w, out));
  return out;
}

export function conv3dBackpropInput(
  s: WebGpuSession, dy: GpuTensor, w: GpuTensor, xShape: Shape, attrs: Conv3DAttrs, variant?: KernelVariant,
): GpuTensor {
  const out = s.runtime.allocate(xShape, 'float32');
  const g = convGeometry(xShape, w.shape, dy.shape, attrs);
  s.runtime.run((variant ?? s.profile.variant) === 'tiled'
    ? convBackpropInputTiledProgram(g, dy, w, out)
    : convBackpropInputRegisterProgram(g, dy, w, out));
  return out;
}

/**
 * Splits the reduction over (batch, output depth) slices so that enough invocations run (few filter
 * elements would otherwise leave most of a GPU idle) and no invocation sums more than MAX_CHAIN products,
 * unless the partial results would outgrow one binding.
 */
export function chooseFilterSplit(g: ConvGeometry, variant: KernelVariant, software: boolean, maxPartialElements: number): FilterSplit {
  const total = g.n * g.od;
  const perSplit = variant === 'tiled'
    ? g.groups * Math.ceil(g.kg / 64) * Math.ceil((g.cg * g.taps) / 64) * 256
    : g.groups * Math.ceil(g.kg / blockSize(g.kg, REGISTER_BLOCK.rows)) * Math.ceil(g.cg / blockSize(g.cg, REGISTER_BLOCK.cols)) * g.taps;
  const target = software ? 1024 : 32768;
  const slabVoxels = Math.max(1, g.oh * g.ow);
  let splits = Math.max(Math.ceil(target / perSplit), Math.ceil((total * slabVoxels) / MAX_CHAIN), 1);
  // The partial gradients [splits, K, C/G, taps] stay within one binding (and 64 MiB).
  splits = Math.min(splits, Math.max(total, 1), Math.max(1, Math.floor(maxPartialElements / (g.k * g.cg * g.taps))));
  const slabs = Math.max(1, Math.ceil(total / splits));
  return { splits: Math.max(1, Math.ceil(total / slabs)), slabs };
}

export function conv3dBackpropFilter(
  s: WebGpuSession, x: GpuTensor, dy: GpuTensor, wShape: Shape, attrs: Conv3DAttrs, variant?: KernelVariant,
): GpuTensor {
  const g = convGeometry(x.shape, wShape, dy.shape, attrs);
  const chosen = variant ?? s.profile.variant;
  const split = chooseFilterSplit(g, chosen, s.profile.software, Math.min(s.runtime.limits.segmentBytes, 64 * 2 ** 20) / 4);
  const rt = s.runtime;
  const perFilter = g.k * g.cg * g.taps;
  const partial = rt.allocate(split.splits === 1 ? wShape : [split.splits, perFilter], 'float32');
  rt.run(chosen === 'tiled'
    ? convBackpropFilterTiledProgram(g, x, dy, partial, split)
    : convBackpropFilterRegisterProgram(g, x, dy, partial, split));
  if (split.splits === 1) return partial;
  const summed = reduce(rt, 'sum', partial, [0]);
  rt.dispose(partial);
  const out = rt.view(summed, wShape);
  rt.dispose(summed);
  return out;
}
