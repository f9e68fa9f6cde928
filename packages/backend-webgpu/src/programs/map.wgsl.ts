import type { GpuTensor } from '../runtime/gpu-tensor.js';
import type { Program } from '../runtime/program.js';
import { coordNames, decodeIndex, offsetExpr, u } from './wgsl-util.js';

/** How an operand's elements are addressed from the iteration coordinates. */
export interface StridedView {
  /** Element stride per iteration axis (0 repeats the value along that axis: broadcasting). */
  readonly strides: readonly number[];
  /** Element offset added to Σ coord·stride; may be negative when `bounds` start above 0. */
  readonly offset: number;
  /** Per axis [lo, hi): the coordinates where the operand exists; elsewhere `fallback` is used (padding). */
  readonly bounds?: readonly (readonly [number, number])[];
}

export interface MapOperand extends StridedView {
  readonly tensor: GpuTensor;
}

/** Description of an element-wise kernel over an iteration shape. */
export interface MapSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly inputs: readonly MapOperand[];
  readonly output: MapOperand;
  /** WGSL expression of the inputs `v0, v1, …` giving the output value. */
  readonly expr: string;
  /** WGSL value for input coordinates outside their `bounds`. */
  readonly fallback?: string;
  readonly helpers?: string;
}

/**
 * Merges adjacent iteration axes that every operand addresses contiguously and drops size-1 axes, so a
 * same-shape op decodes one index instead of five.
 */
export function collapseAxes(shape: readonly number[], views: readonly StridedView[]): { shape: number[]; views: StridedView[] } {
  const keep = shape.map((d, a) => d !== 1 || views.some((v) => v.bounds && (v.bounds[a]![0] !== 0 || v.bounds[a]![1] !== 1)));
  let dims = shape.filter((_, a) => keep[a]);
  let vs = views.map((v) => ({
    strides: v.strides.filter((_, a) => keep[a]),
    offset: v.offset,
    bounds: v.bounds?.filter((_, a) => keep[a]),
  }));
  for (let a = dims.length - 2; a >= 0; a--) {
    const inner = dims[a + 1]!;
    const mergeable = vs.every((v) => v.strides[a] === v.strides[a + 1]! * inner
      && (!v.bounds || (v.bounds[a]![0] === 0 && v.bounds[a]![1] === dims[a] && v.bounds[a + 1]![0] === 0 && v.bounds[a + 1]![1] === inner)));
    if (!mergeable) continue;
    const merged = dims[a]! * inner;
    dims = [...dims.slice(0, a), merged, ...dims.slice(a + 2)];
    vs = vs.map((v) => ({
      strides: [...v.strides.slice(0, a), v.strides[a + 1]!, ...v.strides.slice(a + 2)],
      offset: v.offset,
      bounds: v.bounds ? [...v.bounds.slice(0, a), [0, merged] as [number, number], ...v.bounds.slice(a + 2)] : undefined,
    }));
  }
  return { shape: dims, views: vs.map((v) => (v.bounds ? v : { strides: v.strides, offset: v.offset })) };
}

/** Builds the program: one invocation per output element. */
export function mapProgram(spec: MapSpec): Program {
  const all = [...spec.inputs, spec.output];
  const { shape, views } = collapseAxes(spec.shape, all);
  const size = spec.shape.reduce((p, d) => p * d, 1);
  const c = coordNames('c', shape.length);
  const lines = [decodeIndex('gid', shape, 'c')];
  spec.inputs.forEach((_, k) => {
    const v = views[k]!;
    const read = `in${k}_get(${offsetExpr(c, v.strides, v.offset)})`;
    const active = v.bounds?.flatMap(([lo, hi], a) => {
      const parts: string[] = [];
      if (lo > 0) parts.push(`c${a} >= ${u(lo)}`);
      if (hi < shape[a]!) parts.push(`c${a} < ${u(hi)}`);
      return parts;
    }) ?? [];
    if (active.length === 0) lines.push(`  let v${k} = ${read};`);
    else lines.push(`  var v${k} = ${spec.fallback};\n  if (${active.join(' && ')}) { v${k} = ${read}; }`);
  });
  const o = views[views.length - 1]!;
  lines.push(`  out_set(${shape.length === 1 && o.strides[0] === 1 && o.offset === 0 ? 'gid' : offsetExpr(c, o.strides, o.offset)}, ${spec.expr});`);
  return {
    name: spec.name,
    inputs: spec.inputs.map((x, k) => ({ name: `in${k}`, tensor: x.tensor })),
    outputs: [{ name: 'out', tensor: spec.output.tensor }],
    helpers: spec.helpers,
    workgroupSize: 64,
    threads: size,
    body: lines.join('\n'),
  };
}
