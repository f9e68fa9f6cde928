import type { ReduceOp, Shape } from '@openmind-ssl/core';
import { reducedShape, sizeOf, stridesOf } from '@openmind-ssl/core';
import type { ReducePlan } from '../programs/reduce.wgsl.js';
import { reduceProgram } from '../programs/reduce.wgsl.js';
import type { GpuRuntime } from '../runtime/gpu-runtime.js';
import type { GpuTensor } from '../runtime/gpu-tensor.js';
import { fill } from './layout.js';

/** Elements one invocation combines in sequence; more take further passes over partial results. */
const CHUNK = 256;

/** Drops size-1 axes and merges neighbours of the same kind (kept or reduced); the tensor is contiguous. */
export function planReduce(shape: Shape, axes: readonly number[]): ReducePlan {
  const strides = stridesOf(shape);
  const groups: { reduced: boolean; size: number; stride: number }[] = [];
  shape.forEach((d, a) => {
    if (d === 1) return;
    const reduced = axes.includes(a);
    const last = groups[groups.length - 1];
    if (last && last.reduced === reduced) {
      last.size *= d;
      last.stride = strides[a]!;
    } else {
      groups.push({ reduced, size: d, stride: strides[a]! });
    }
  });
  const pick = (reduced: boolean) => groups.filter((g) => g.reduced === reduced);
  return {
    keptShape: pick(false).map((g) => g.size),
    keptStrides: pick(false).map((g) => g.stride),
    reducedShape: pick(true).map((g) => g.size),
    reducedStrides: pick(true).map((g) => g.stride),
    reduced: sizeOf(axes.map((a) => shape[a]!)),
    kept: sizeOf(shape.filter((_, a) => !axes.includes(a))),
  };
}

/** What an empty reduction gives, as the reference does (integer ±∞ truncates to 0). */
function identity(op: ReduceOp, dtype: GpuTensor['dtype']): number {
  if (op === 'sum' || dtype !== 'float32') return 0;
  return op === 'max' ? -Infinity : Infinity;
}

export function reduce(rt: GpuRuntime, op: ReduceOp, x: GpuTensor, axes: readonly number[]): GpuTensor {
  const outShape = reducedShape(x.shape, axes);
  const plan = planReduce(x.shape, axes);
  if (plan.reduced === 0 || plan.kept === 0) return fill(rt, outShape, x.dtype, identity(op, x.dtype));
  const parts = Math.ceil(plan.reduced / CHUNK);
  const target = rt.allocate(parts === 1 ? outShape : [parts, plan.kept], x.dtype);
  rt.run(reduceProgram(op, x, target, plan, CHUNK, parts));
  if (parts === 1) return target;
  // Partials [parts, kept] are reduced again over their first axis (sum of sums, max of maxima).
  const rest = reduce(rt, op, target, [0]);
  rt.dispose(target);
  const out = rt.view(rest, outShape);
  rt.dispose(rest);
  return out;
}
