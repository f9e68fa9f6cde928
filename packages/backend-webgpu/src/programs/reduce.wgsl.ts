import type { DType, ReduceOp } from '@openmind-ssl/core';
import type { GpuTensor } from '../runtime/gpu-tensor.js';
import type { Program } from '../runtime/program.js';
import { NEG_INF, POS_INF, coordNames, decodeIndex, offsetExpr, u } from './wgsl-util.js';

/** A reduction in collapsed form: kept and reduced axis groups with their input strides. */
export interface ReducePlan {
  readonly keptShape: readonly number[];
  readonly keptStrides: readonly number[];
  readonly reducedShape: readonly number[];
  readonly reducedStrides: readonly number[];
  /** Elements reduced per output. */
  readonly reduced: number;
  /** Outputs. */
  readonly kept: number;
}

/** Start value and combine expression (of `acc` and `v`) per op and storage type. */
function combine(op: ReduceOp, dtype: DType): { init: string; expr: string } {
  if (dtype === 'float32') {
    if (op === 'sum') return { init: '0.0f', expr: 'acc + v' };
    // NaN wins, as Math.max/Math.min and PyTorch propagate it.
    const f = op === 'max' ? 'max' : 'min';
    return { init: op === 'max' ? NEG_INF : POS_INF, expr: `select(${f}(acc, v), acc + v, acc != acc || v != v)` };
  }
  if (dtype === 'int32') {
    if (op === 'sum') return { init: '0i', expr: 'acc + v' };
    return { init: op === 'max' ? 'i32(-2147483648)' : '2147483647i', expr: `${op}(acc, v)` };
  }
  if (op === 'sum') return { init: '0u', expr: '(acc + v) & 255u' };
  return { init: op === 'max' ? '0u' : '255u', expr: `${op}(acc, v)` };
}

/**
 * One pass: invocation gid reduces elements [p·chunk, (p+1)·chunk) of output o = gid mod kept, where
 * p = gid / kept, and writes element gid of the output (the result, or partials [P, kept] for a further
 * pass). Sequential chunks keep float32 sums accurate without workgroup memory or barriers.
 */
export function reduceProgram(op: ReduceOp, x: GpuTensor, out: GpuTensor, plan: ReducePlan, chunk: number, parts: number): Program {
  const { init, expr } = combine(op, x.dtype);
  const k = coordNames('k', plan.keptShape.length);
  const r = coordNames('r', plan.reducedShape.length);
  const body = `  let o = gid % ${u(plan.kept)};
  let p = gid / ${u(plan.kept)};
${decodeIndex('o', plan.keptShape, 'k')}  let base = ${offsetExpr(k, plan.keptStrides)};
  var acc = ${init};
  let r_end = min(p * ${u(chunk)} + ${u(chunk)}, ${u(plan.reduced)});
  for (var ri = p * ${u(chunk)}; ri < r_end; ri++) {
  ${decodeIndex('ri', plan.reducedShape, 'r')}    let v = x_get(base + ${offsetExpr(r, plan.reducedStrides)});
    acc = ${expr};
  }
  out_set(gid, acc);`;
  return {
    name: `reduce.${op}`,
    inputs: [{ name: 'x', tensor: x }],
    outputs: [{ name: 'out', tensor: out }],
    workgroupSize: 64,
    threads: plan.kept * parts,
    body,
  };
}
