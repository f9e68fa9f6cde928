import type { Pool3DAttrs } from '@openmind-ssl/core';
import { windowOutputSize } from '@openmind-ssl/core';
import type { PoolGeometry } from '../programs/pool3d.wgsl.js';
import { poolArgMaxBody, poolBackwardBody, poolForwardBody } from '../programs/pool3d.wgsl.js';
import type { GpuRuntime } from '../runtime/gpu-runtime.js';
import type { GpuTensor } from '../runtime/gpu-tensor.js';

function geometry(xShape: readonly number[], attrs: Pool3DAttrs): PoolGeometry {
  const input = [xShape[2]!, xShape[3]!, xShape[4]!] as const;
  const output = [0, 1, 2].map((a) => windowOutputSize(input[a]!, attrs.kernelSize[a]!, attrs.stride[a]!, attrs.padding[a]!)) as
    unknown as readonly [number, number, number];
  return { input, output, attrs };
}

export function pool3d(rt: GpuRuntime, x: GpuTensor, attrs: Pool3DAttrs): GpuTensor {
  const g = geometry(x.shape, attrs);
  const out = rt.allocate([x.shape[0]!, x.shape[1]!, ...g.output], x.dtype);
  rt.run({
    name: `pool3d.${attrs.mode}`, inputs: [{ name: 'x', tensor: x }], outputs: [{ name: 'out', tensor: out }],
    workgroupSize: 64, threads: out.size, body: poolForwardBody(g),
  });
  return out;
}

/**
 * Max pooling runs two kernels: the first records each window's chosen tap, the second lets every input
 * element collect dy from the windows that chose it. Both are gathers, so no float atomics are needed.
 */
export function pool3dBackprop(rt: GpuRuntime, dy: GpuTensor, x: GpuTensor, attrs: Pool3DAttrs): GpuTensor {
  const g = geometry(x.shape, attrs);
  let arg: GpuTensor | null = null;
  if (attrs.mode === 'max') {
    arg = rt.allocate(dy.shape, 'int32');
    rt.run({
      name: 'pool3d.argmax', inputs: [{ name: 'x', tensor: x }], outputs: [{ name: 'out', tensor: arg }],
      workgroupSize: 64, threads: arg.size, body: poolArgMaxBody(g),
    });
  }
  const dx = rt.allocate(x.shape, x.dtype);
  try {
    rt.run({
      name: `pool3dBackprop.${attrs.mode}`,
      inputs: [{ name: 'dy', tensor: dy }, ...(arg ? [{ name: 'arg', tensor: arg }] : [])],
      outputs: [{ name: 'out', tensor: dx }],
      workgroupSize: 64,
      threads: dx.size,
      body: poolBackwardBody(g),
    });
  } finally {
    if (arg) rt.dispose(arg);
  }
  return dx;
}
