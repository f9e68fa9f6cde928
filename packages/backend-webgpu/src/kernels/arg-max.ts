import { reducedShape, sizeOf } from '@openmind-ssl/core';
import type { GpuRuntime } from '../runtime/gpu-runtime.js';
import type { GpuTensor } from '../runtime/gpu-tensor.js';
import { u } from '../programs/wgsl-util.js';

/** Index of the first maximum along `axis` (strict `>`, so ties and NaN keep the earlier index). */
export function argMax(rt: GpuRuntime, x: GpuTensor, axis: number): GpuTensor {
  const n = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const out = rt.allocate(reducedShape(x.shape, [axis]), 'int32');
  rt.run({
    name: 'argMax',
    inputs: [{ name: 'x', tensor: x }],
    outputs: [{ name: 'out', tensor: out }],
    workgroupSize: 64,
    threads: out.size,
    body: `  let base = (gid / ${u(inner)}) * ${u(n * inner)} + gid % ${u(inner)};
  var best = x_get(base);
  var at = 0i;
  for (var j = 1u; j < ${u(n)}; j++) {
    let v = x_get(base + j * ${u(inner)});
    if (v > best) { best = v; at = i32(j); }
  }
  out_set(gid, at);`,
  });
  return out;
}
