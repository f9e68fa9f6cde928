import { describe, expect, it } from 'vitest';
import { loadOrt } from '../ort/ort-module.js';
import { encodeModel } from './onnx-model.js';
import { ProtoWriter } from './proto-writer.js';

describe('ProtoWriter', () => {
  describe('.int', () => {
    it('should write a negative int64 as a 10-byte two\'s complement varint', () => {
      const bytes = [...new ProtoWriter().int(1, -1).finish()];
      expect(bytes).toEqual([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    });

    it('should write 300 as the two-byte varint ac 02', () => {
      expect([...new ProtoWriter().int(2, 300).finish()]).toEqual([0x10, 0xac, 0x02]);
    });
  });

  describe('.float', () => {
    it('should write a little-endian float32 with wire type 5', () => {
      expect([...new ProtoWriter().float(2, 1).finish()]).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f]);
    });
  });
});

describe('encodeModel', () => {
  it('should produce a model ONNX Runtime loads and runs, with every attribute kind used', async () => {
    const ort = await loadOrt();
    const model = encodeModel({
      nodes: [
        { opType: 'Constant', inputs: [], outputs: ['shape'], attrs: [{ name: 'value', kind: 'tensor', value: { dtype: 'int64', dims: [2], values: [3, 2] } }] },
        { opType: 'Reshape', inputs: ['x', 'shape'], outputs: ['r'], attrs: [] },
        { opType: 'LeakyRelu', inputs: ['r'], outputs: ['l'], attrs: [{ name: 'alpha', kind: 'float', value: 0.5 }] },
        { opType: 'Constant', inputs: [], outputs: ['pads'], attrs: [{ name: 'value', kind: 'tensor', value: { dtype: 'int64', dims: [4], values: [0, 1, 0, 0] } }] },
        { opType: 'Pad', inputs: ['l', 'pads'], outputs: ['p'], attrs: [{ name: 'mode', kind: 'string', value: 'constant' }] },
        { opType: 'Transpose', inputs: ['p'], outputs: ['y'], attrs: [{ name: 'perm', kind: 'ints', value: [1, 0] }] },
      ],
      inputs: [{ name: 'x', dtype: 'float32', dims: [6] }],
      outputs: [{ name: 'y', dtype: 'float32', dims: [3, 3] }],
    });
    const session = await ort.InferenceSession.create(model);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, -2, 3, -4, 5, -6), [6]) });
    await session.release();
    // reshape [[1,-2],[3,-4],[5,-6]] → leaky → pad a zero column in front → transpose
    expect([...(out.y!.data as Float32Array)]).toEqual([0, 0, 0, 1, 3, 5, -1, -2, -3]);
  });
});
