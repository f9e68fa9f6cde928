import { describe, expect, it } from 'vitest';
import { encodeModel } from '../onnx/onnx-model.js';
import { compileGraph } from './compile-graph.js';
import { GraphBuilder } from './graph-builder.js';
import { LazyTensor } from './lazy-tensor.js';

// Materialized stand-ins: compileGraph only reads shape/type of graph inputs, never their values.
function input(shape: number[]): LazyTensor {
  return new LazyTensor(shape, 'float32', 'float32', { value: {} as never });
}

function record(b: GraphBuilder, x: LazyTensor, y: LazyTensor, scale: number): LazyTensor {
  const s = b.op('Mul', [x, b.scalar('float32', scale)], [], { shape: x.shape, type: 'float32' });
  return b.op('Add', [s, y], [], { shape: x.shape, type: 'float32' });
}

describe('compileGraph', () => {
  it('should give byte-identical models for two recordings of the same structure', () => {
    const b = new GraphBuilder();
    const first = encodeModel(compileGraph([record(b, input([4]), input([4]), 2)]).spec);
    const second = encodeModel(compileGraph([record(b, input([4]), input([4]), 2)]).spec);
    expect(second).toEqual(first);
  });

  it('should give different models when a constant differs', () => {
    const b = new GraphBuilder();
    const first = encodeModel(compileGraph([record(b, input([4]), input([4]), 2)]).spec);
    const second = encodeModel(compileGraph([record(b, input([4]), input([4]), 3)]).spec);
    expect(second).not.toEqual(first);
  });

  it('should feed a tensor used twice once, and in first-use order', () => {
    const b = new GraphBuilder();
    const x = input([2]);
    const y = input([2]);
    const out = b.op('Add', [b.op('Mul', [y, x], [], { shape: [2], type: 'float32' }), y], [], { shape: [2], type: 'float32' });
    const { spec, feeds } = compileGraph([out]);
    expect(feeds).toEqual([y, x]);
    expect(spec.inputs.map((v) => v.name)).toEqual(['in0', 'in1']);
  });

  it('should stop at materialized tensors and emit each shared node once', () => {
    const b = new GraphBuilder();
    const x = input([3]);
    const shared = b.op('Exp', [x], [], { shape: [3], type: 'float32' });
    const a = b.op('Neg', [shared], [], { shape: [3], type: 'float32' });
    const c = b.op('Abs', [shared], [], { shape: [3], type: 'float32' });
    const { spec } = compileGraph([a, c]);
    expect(spec.nodes.map((n) => n.opType)).toEqual(['Exp', 'Neg', 'Abs']);
    expect(spec.outputs.map((o) => o.name)).toEqual(['v1_0', 'v2_0']);
  });

  it('should compile a 20000-node chain without overflowing the stack', () => {
    const b = new GraphBuilder();
    let t = input([1]);
    for (let i = 0; i < 20000; i++) t = b.op('Neg', [t], [], { shape: [1], type: 'float32' });
    expect(compileGraph([t]).spec.nodes).toHaveLength(20000);
  });
});
