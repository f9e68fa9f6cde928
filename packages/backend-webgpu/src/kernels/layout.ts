import type { DType, Shape } from '@openmind-ssl/core';
import { allocate, sizeOf } from '@openmind-ssl/core';
import { mapProgram } from '../programs/map.wgsl.js';
import { literal } from '../programs/wgsl-util.js';
import type { GpuRuntime } from '../runtime/gpu-runtime.js';
import type { GpuTensor } from '../runtime/gpu-tensor.js';
import { boxView, contiguousView, paddedView, permutedView } from './views.js';

export function transpose(rt: GpuRuntime, x: GpuTensor, perm: readonly number[]): GpuTensor {
  const shape = perm.map((p) => x.shape[p]!);
  const out = rt.allocate(shape, x.dtype);
  rt.run(mapProgram({
    name: 'transpose', shape, inputs: [{ tensor: x, ...permutedView(x.shape, perm) }],
    output: { tensor: out, ...contiguousView(shape) }, expr: 'v0',
  }));
  return out;
}

export function slice(rt: GpuRuntime, x: GpuTensor, begin: readonly number[], size: readonly number[]): GpuTensor {
  const out = rt.allocate(size, x.dtype);
  rt.run(mapProgram({
    name: 'slice', shape: [...size], inputs: [{ tensor: x, ...boxView(x.shape, begin) }],
    output: { tensor: out, ...contiguousView(size) }, expr: 'v0',
  }));
  return out;
}

export function pad(rt: GpuRuntime, x: GpuTensor, pads: readonly (readonly [number, number])[], value: number): GpuTensor {
  const shape = x.shape.map((d, a) => d + pads[a]![0] + pads[a]![1]);
  const out = rt.allocate(shape, x.dtype);
  rt.run(mapProgram({
    name: 'pad', shape, inputs: [{ tensor: x, ...paddedView(x.shape, pads.map((p) => p[0])) }],
    output: { tensor: out, ...contiguousView(shape) }, expr: 'v0', fallback: literal(value, x.dtype),
  }));
  return out;
}

/** One copy kernel per part, each writing its box of the output (a kernel per part keeps bindings few). */
export function concat(rt: GpuRuntime, xs: readonly GpuTensor[], axis: number): GpuTensor {
  const first = xs[0]!;
  const shape = first.shape.map((d, a) => (a === axis ? xs.reduce((s, x) => s + x.shape[axis]!, 0) : d));
  const out = rt.allocate(shape, first.dtype);
  let at = 0;
  for (const x of xs) {
    const begin = shape.map((_, a) => (a === axis ? at : 0));
    rt.run(mapProgram({
      name: 'concat', shape: [...x.shape], inputs: [{ tensor: x, ...contiguousView(x.shape) }],
      output: { tensor: out, ...boxView(shape, begin) }, expr: 'v0',
    }));
    at += x.shape[axis]!;
  }
  return out;
}

/**
 * A tensor of one value. Zero is a `clearBuffer`; small tensors are written from the host, so scalars
 * that change every step do not each compile a kernel; larger ones run a kernel with the value baked in.
 */
export function fill(rt: GpuRuntime, shape: Shape, dtype: DType, value: number): GpuTensor {
  const size = sizeOf(shape);
  if (size <= 4096 || size === 0) {
    const data = allocate(dtype, size);
    data.fill(dtype === 'float32' ? value : dtype === 'int32' ? Math.trunc(value) | 0 : Math.trunc(value) & 0xff);
    return rt.upload(data, shape, dtype);
  }
  const out = rt.allocate(shape, dtype);
  if (Object.is(value, 0)) {
    for (const b of out.storage.buffers) rt.batch.clear(b, b.size);
    return out;
  }
  rt.run(mapProgram({
    name: 'fill', shape: [...shape], inputs: [], output: { tensor: out, ...contiguousView(shape) }, expr: literal(value, dtype),
  }));
  return out;
}
