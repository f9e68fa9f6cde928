import {
  concat, Conv3d, ConvTranspose3d, InstanceNorm3d, leakyRelu, Module, Rng, type Tensor, tensor, withBackend,
} from '@openmind-ssl/core';
import { maxRelativeError, ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { loadOrt } from '../ort/ort-module.js';
import { OnnxRuntimeBackend } from '../onnxruntime-backend.js';
import { EXPORT_OPSET, exportOnnxModel } from './export-onnx-model.js';

/** A two-level U-Net-like toy: strided conv, instance norm, leaky ReLU, transposed conv, skip concat. */
class TinyUNet extends Module {
  readonly stem: Conv3d;
  readonly norm: InstanceNorm3d;
  readonly down: Conv3d;
  readonly up: ConvTranspose3d;
  readonly head: Conv3d;
  constructor(rng: Rng) {
    super();
    this.stem = this.child('stem', new Conv3d(2, 4, 3, { padding: 1, rng }));
    this.norm = this.child('norm', new InstanceNorm3d(4, { affine: true }));
    this.down = this.child('down', new Conv3d(4, 8, 3, { padding: 1, stride: 2, rng }));
    this.up = this.child('up', new ConvTranspose3d(8, 4, 2, { stride: 2, rng }));
    this.head = this.child('head', new Conv3d(8, 3, 1, { rng }));
  }
  forward(x: Tensor): Tensor {
    const s = leakyRelu(this.norm.forward(this.stem.forward(x)), 0.01);
    const u = this.up.forward(leakyRelu(this.down.forward(s), 0.01));
    return this.head.forward(concat([s, u], 1));
  }
}

/** Top-level fields of a protobuf message: field number → values (varints as numbers, length-delimited as bytes). */
function protoFields(bytes: Uint8Array): Map<number, (number | Uint8Array)[]> {
  const out = new Map<number, (number | Uint8Array)[]>();
  let p = 0;
  const varint = () => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++]!;
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) return v;
    }
  };
  while (p < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let value: number | Uint8Array;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const n = varint();
      value = bytes.subarray(p, p + n);
      p += n;
    } else if (wire === 5) {
      value = 0;
      p += 4;
    } else throw new Error(`wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}
const text = (b: number | Uint8Array | undefined) => new TextDecoder().decode(b as Uint8Array);

describe('exportOnnxModel', () => {
  it('should give a model onnxruntime-node runs on any batch, equal to our forward to 1e-4, with its metadata', async () => {
    const sample = [1, 2, 8, 8, 8];
    const batch = Float32Array.from({ length: 3 * 2 * 512 }, (_, i) => Math.sin(i * 0.37) + 0.1 * Math.cos(i * 1.3));
    // Ours, on the float64 reference backend, one sample at a time.
    const reference = new ReferenceBackend();
    const outs = withBackend(reference, () => {
      const net = new TinyUNet(new Rng(5));
      return [0, 1, 2].map((n) => net.forward(tensor(batch.subarray(n * 1024, (n + 1) * 1024), sample)));
    });
    const expected = Float32Array.from((await Promise.all(outs.map((o) => o.floats()))).flatMap((a) => [...a]));
    const ortBackend = new OnnxRuntimeBackend({ maxPendingNodes: 1_000_000 });
    await ortBackend.init();
    const net = withBackend(ortBackend, () => new TinyUNet(new Rng(5)));
    const model = exportOnnxModel(ortBackend, (x) => net.forward(x), { sampleShape: sample, metadata: { patch_size: '[8,8,8]' } });
    await ortBackend.close();

    const ort = await loadOrt();
    const session = await ort.InferenceSession.create(model);
    expect(session.inputNames).toEqual(['input']);
    expect(session.outputNames).toEqual(['logits']);
    const run = async (n: number) => {
      const out = await session.run({ input: new ort.Tensor('float32', batch.slice(0, n * 1024), [n, 2, 8, 8, 8]) });
      return out['logits']!;
    };
    const three = await run(3);
    expect(three.dims).toEqual([3, 3, 8, 8, 8]);
    expect(maxRelativeError(three.data as Float32Array, expected, 1e-2)).toBeLessThan(1e-4);
    const one = await run(1);
    expect(one.dims).toEqual([1, 3, 8, 8, 8]);
    await session.release();
    // ModelProto: opset_import (8) { domain '', version 17 }, metadata_props (14) { key, value }.
    const model_ = protoFields(model);
    expect(EXPORT_OPSET).toBe(17);
    expect(protoFields(model_.get(8)![0] as Uint8Array).get(2)).toEqual([17]);
    const meta = model_.get(14)!.map((e) => protoFields(e as Uint8Array));
    expect(meta.map((m) => [text(m.get(1)![0]), text(m.get(2)![0])])).toEqual([['patch_size', '[8,8,8]']]);
  });

  it('should refuse a network whose output ignores its input', async () => {
    const b = new OnnxRuntimeBackend();
    await b.init();
    const w = withBackend(b, () => tensor([1, 2], [2]));
    expect(() => exportOnnxModel(b, () => w.mul(2), { sampleShape: [1, 1, 2, 2, 2] })).toThrow(/does not depend on its input/);
    await b.close();
  });
});
