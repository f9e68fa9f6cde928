import type { OnnxGraphSpec, OnnxNodeSpec, OnnxValueSpec } from '../onnx/onnx-model.js';
import type { LazyNode, LazyTensor } from './lazy-tensor.js';

/** A recorded subgraph ready to serialize, with the tensors that feed it. */
export interface CompiledGraph {
  readonly spec: OnnxGraphSpec;
  /** Materialized tensors feeding the graph, in the order of `spec.inputs`. */
  readonly feeds: readonly LazyTensor[];
}

/**
 * Collects every pending node the roots depend on and names values canonically: by position in a
 * depth-first post-order, never by tensor identity. Two recordings of the same step structure (same
 * ops, attributes, shapes and constants) therefore give byte-identical models, which is what lets the
 * session cache hit on every training step after the first.
 *
 * Iterative on purpose: recorded chains can be thousands of nodes deep.
 */
export function compileGraph(roots: readonly LazyTensor[]): CompiledGraph {
  const order: LazyNode[] = [];
  const state = new Map<LazyNode, 1 | 2>();
  for (const root of roots) {
    if (root.node === undefined || state.has(root.node)) continue;
    const stack: LazyNode[] = [root.node];
    while (stack.length > 0) {
      const n = stack[stack.length - 1]!;
      const s = state.get(n);
      if (s === undefined) {
        state.set(n, 1);
        for (let i = n.inputs.length - 1; i >= 0; i--) {
          const t = n.inputs[i];
          if (t?.node !== undefined && !state.has(t.node)) stack.push(t.node);
        }
      } else {
        stack.pop();
        if (s === 1) {
          state.set(n, 2);
          order.push(n);
        }
      }
    }
  }

  const nodeIndex = new Map<LazyNode, number>();
  const feedNames = new Map<LazyTensor, string>();
  const feeds: LazyTensor[] = [];
  const inputs: OnnxValueSpec[] = [];
  const nameOf = (t: LazyTensor): string => {
    if (t.node !== undefined) return `v${nodeIndex.get(t.node)!}_${t.outputIndex}`;
    let name = feedNames.get(t);
    if (name === undefined) {
      name = `in${feeds.length}`;
      feedNames.set(t, name);
      feeds.push(t);
      inputs.push({ name, dtype: t.elemType, dims: t.shape });
    }
    return name;
  };

  const nodes: OnnxNodeSpec[] = order.map((n, i) => {
    nodeIndex.set(n, i);
    return {
      opType: n.opType,
      inputs: n.inputs.map((t) => (t === undefined ? '' : nameOf(t))),
      outputs: Array.from({ length: n.outputCount }, (_, k) => `v${i}_${k}`),
      attrs: n.attrs,
      // Position-based like the value names, so equal structures still give equal bytes.
      name: `${n.kernel ?? 'graph'}/${n.opType}_${i}`,
    };
  });
  const outputs: OnnxValueSpec[] = roots.map((r) => ({ name: nameOf(r), dtype: r.elemType, dims: r.shape }));
  return { spec: { nodes, inputs, outputs }, feeds };
}
