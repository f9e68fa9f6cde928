/** Time of one kernel (or one ONNX op of a kernel) in a profiled run. */
export interface ProfileRow {
  /** Backend kernel that recorded the nodes (conv3dBackpropFilter, mul, …); 'ort' for nodes ORT made. */
  readonly kernel: string;
  /** ONNX op type, or '*' for a kernel's total. */
  readonly opType: string;
  readonly ms: number;
  /** Nodes executed. */
  readonly nodes: number;
  /** Fraction of the run's summed node time. */
  readonly share: number;
}

export interface ProfileSummary {
  /** Wall time of the run (ORT's model_run event), ms. */
  readonly runMs: number;
  /** Summed node time, ms (below runMs by ORT's own overhead between nodes). */
  readonly nodeMs: number;
  /** One row per kernel, slowest first. */
  readonly byKernel: readonly ProfileRow[];
  /** One row per (kernel, ONNX op), slowest first. */
  readonly byOp: readonly ProfileRow[];
}

interface TraceEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly ts?: number;
  readonly dur?: number;
  readonly args?: { readonly op_name?: string };
}

/**
 * Groups the node times of one run in an ORT profile (the JSON array that `profileFilePrefix` files
 * hold) by the backend kernel that recorded each node: graph nodes are named `<kernel>/<op>_<index>`.
 *
 * @param run which `model_run` of the file (default -1, the last: later runs are warm)
 * @returns undefined when the profile holds no run
 */
export function summarizeProfile(events: readonly unknown[], run = -1): ProfileSummary | undefined {
  const evs = events as readonly TraceEvent[];
  const runs = evs.filter((e) => e.name === 'model_run');
  const r = runs.at(run);
  if (r?.ts === undefined || r.dur === undefined) return undefined;
  const start = r.ts;
  const end = r.ts + r.dur;
  const kernels = new Map<string, { us: number; nodes: number }>();
  const ops = new Map<string, { kernel: string; opType: string; us: number; nodes: number }>();
  let total = 0;
  for (const e of evs) {
    if (e.cat !== 'Node' || !e.name?.endsWith('_kernel_time') || e.ts === undefined || e.ts < start || e.ts > end) continue;
    const name = e.name.slice(0, -'_kernel_time'.length);
    const slash = name.indexOf('/');
    const kernel = slash > 0 ? name.slice(0, slash) : 'ort';
    const opType = e.args?.op_name ?? '?';
    const us = e.dur ?? 0;
    total += us;
    const k = kernels.get(kernel) ?? { us: 0, nodes: 0 };
    k.us += us;
    k.nodes++;
    kernels.set(kernel, k);
    const key = `${kernel}\u0000${opType}`;
    const o = ops.get(key) ?? { kernel, opType, us: 0, nodes: 0 };
    o.us += us;
    o.nodes++;
    ops.set(key, o);
  }
  const row = (kernel: string, opType: string, us: number, nodes: number): ProfileRow =>
    ({ kernel, opType, ms: us / 1000, nodes, share: total > 0 ? us / total : 0 });
  return {
    runMs: r.dur / 1000,
    nodeMs: total / 1000,
    byKernel: [...kernels].map(([k, v]) => row(k, '*', v.us, v.nodes)).sort((a, b) => b.ms - a.ms),
    byOp: [...ops.values()].map((o) => row(o.kernel, o.opType, o.us, o.nodes)).sort((a, b) => b.ms - a.ms),
  };
}
