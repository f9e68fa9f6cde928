import type { BinaryOp, DType, Shape, UnaryOp } from '@openmind-ssl/core';
import { COMPARISON_OPS, broadcastShapes } from '@openmind-ssl/core';
import { binaryOp, castOp, unaryOp } from '../programs/elementwise-ops.wgsl.js';
import type { MapOperand } from '../programs/map.wgsl.js';
import { mapProgram } from '../programs/map.wgsl.js';
import type { GpuRuntime } from '../runtime/gpu-runtime.js';
import type { GpuTensor } from '../runtime/gpu-tensor.js';
import { broadcastView, contiguousView } from './views.js';

/** Runs `expr` over inputs broadcast to one shape, writing a new contiguous tensor of `dtype`. */
export function mapBroadcast(
  rt: GpuRuntime, name: string, inputs: readonly GpuTensor[], dtype: DType, expr: string, helpers: string, shape?: Shape,
): GpuTensor {
  const outShape = shape ?? inputs.reduce<Shape>((s, x) => broadcastShapes(s, x.shape, name), []);
  const out = rt.allocate(outShape, dtype);
  const operands: MapOperand[] = inputs.map((x) => ({ tensor: x, ...broadcastView(x.shape, outShape) }));
  rt.run(mapProgram({
    name, shape: [...outShape], inputs: operands, output: { tensor: out, ...contiguousView(outShape) }, expr, helpers,
  }));
  return out;
}

export function unary(rt: GpuRuntime, op: UnaryOp, x: GpuTensor): GpuTensor {
  const code = unaryOp(op, x.dtype);
  return mapBroadcast(rt, `unary.${op}`, [x], x.dtype, code.expr, code.helpers);
}

export function binary(rt: GpuRuntime, op: BinaryOp, a: GpuTensor, b: GpuTensor): GpuTensor {
  const code = binaryOp(op, a.dtype);
  const dtype = (COMPARISON_OPS as readonly string[]).includes(op) ? 'uint8' : a.dtype;
  return mapBroadcast(rt, `binary.${op}`, [a, b], dtype, code.expr, code.helpers);
}

export function where(rt: GpuRuntime, cond: GpuTensor, a: GpuTensor, b: GpuTensor): GpuTensor {
  return mapBroadcast(rt, 'where', [cond, a, b], a.dtype, 'select(v2, v1, v0 != 0u)', '');
}

export function cast(rt: GpuRuntime, x: GpuTensor, dtype: DType): GpuTensor {
  const code = castOp(x.dtype, dtype);
  return mapBroadcast(rt, `cast.${x.dtype}.${dtype}`, [x], dtype, code.expr, code.helpers);
}

export function expand(rt: GpuRuntime, x: GpuTensor, shape: Shape): GpuTensor {
  return mapBroadcast(rt, 'expand', [x], x.dtype, 'v0', '', shape);
}
