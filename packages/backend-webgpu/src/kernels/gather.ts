import type { Shape } from '@openmind-ssl/core';
import { sizeOf } from '@openmind-ssl/core';
import { u } from '../programs/wgsl-util.js';
import type { GpuRuntime } from '../runtime/gpu-runtime.js';
import type { GpuTensor } from '../runtime/gpu-tensor.js';

/** The tensor as [outer, axis, inner]: everything before the axis, the axis, everything after. */
function split(shape: Shape, axis: number): { outer: number; inner: number } {
  return { outer: sizeOf(shape.slice(0, axis)), inner: sizeOf(shape.slice(axis + 1)) };
}

/** out[o, j, i] = x[o, indices[j], i]; an index outside [0, n) is clamped rather than read out of bounds. */
export function gather(rt: GpuRuntime, x: GpuTensor, indices: GpuTensor, axis: number): GpuTensor {
  const n = x.shape[axis]!;
  const count = indices.size;
  const { inner } = split(x.shape, axis);
  const out = rt.allocate(x.shape.map((d, a) => (a === axis ? count : d)), x.dtype);
  rt.run({
    name: 'gather',
    inputs: [{ name: 'x', tensor: x }, { name: 'idx', tensor: indices }],
    outputs: [{ name: 'out', tensor: out }],
    workgroupSize: 64,
    threads: out.size,
    body: `  let i = gid % ${u(inner)};
  let j = (gid / ${u(inner)}) % ${u(count)};
  let o = gid / ${u(inner * count)};
  let at = u32(clamp(idx_get(j), 0i, ${Math.max(n - 1, 0)}i));
  out_set(gid, x_get((o * ${u(n)} + at) * ${u(inner)} + i));`,
  });
  return out;
}

/**
 * The adjoint of gather. WGSL has no float atomics, so instead of scattering, each output element
 * gathers: it scans the index list and sums the updates whose index points at it (in index order,
 * which also makes the result deterministic).
 */
export function scatterAdd(rt: GpuRuntime, updates: GpuTensor, indices: GpuTensor, axis: number, shape: Shape): GpuTensor {
  const n = shape[axis]!;
  const count = indices.size;
  const { inner } = split(shape, axis);
  const out = rt.allocate(shape, updates.dtype);
  const zero = updates.dtype === 'float32' ? '0.0f' : updates.dtype === 'int32' ? '0i' : '0u';
  const add = updates.dtype === 'uint8' ? '(acc + updates_get(src)) & 255u' : 'acc + updates_get(src)';
  rt.run({
    name: 'scatterAdd',
    inputs: [{ name: 'updates', tensor: updates }, { name: 'idx', tensor: indices }],
    outputs: [{ name: 'out', tensor: out }],
    workgroupSize: 64,
    threads: out.size,
    body: `  let i = gid % ${u(inner)};
  let slot = i32((gid / ${u(inner)}) % ${u(n)});
  let o = gid / ${u(inner * n)};
  var acc = ${zero};
  for (var j = 0u; j < ${u(count)}; j++) {
    if (idx_get(j) == slot) {
      let src = (o * ${u(count)} + j) * ${u(inner)} + i;
      acc = ${add};
    }
  }
  out_set(gid, acc);`,
  });
  return out;
}
