import { readFileSync } from 'node:fs';
import { OpenMindError } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { PickleWriter, WritableTensor } from '../pickle/pickle-writer.js';
import { NumpyArray, PyDevice, PyDict, PyTuple, TorchTensor } from '../pickle/py-value.js';
import { fixturePath, fixtureJson } from '../test-support/fixtures.js';
import { float32Raw, numelOf, rawValues, type RawTensor } from '../torch/raw-tensor.js';
import { ZipWriter } from '../zip/zip-writer.js';
import { readPth } from './read-pth.js';
import { rawTensorOf } from './tensor-tree.js';
import { encodePthBytes } from './write-pth.js';

interface ZooFixture {
  tensors: Record<string, { dtype: string; shape: number[]; values: (string | number)[] }>;
}

/** Python's view of the values: int64 as decimal strings, floats as repr(), bools as 0/1. */
function pythonValues(t: RawTensor): (string | number)[] {
  if (t.dtype === 'int64') {
    const v = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    return Array.from({ length: numelOf(t.shape) }, (_, i) => v.getBigInt64(8 * i, true).toString());
  }
  return rawValues(t);
}

async function zipOf(entries: [string, Uint8Array][]): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const zip = new ZipWriter(async (c) => void chunks.push(Uint8Array.from(c)));
  for (const [name, data] of entries) await zip.add(name, data);
  await zip.finish();
  return Uint8Array.from(chunks.flatMap((c) => [...c]));
}

async function refusal(input: Uint8Array | string): Promise<string> {
  const err = await readPth(input).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OpenMindError);
  return (err as Error).message;
}

describe('readPth', () => {
  const zoo = fixtureJson<ZooFixture>('zoo.json');
  for (const [file, format] of [['zoo.pth', 'zip'], ['zoo-legacy.pth', 'legacy']] as const) {
    describe(`having ${file} (torch.save, ${format} format)`, () => {
      it('should read every tensor with PyTorch\'s dtype, shape and values, views materialised', async () => {
        const pth = await readPth(fixturePath(file));
        expect(pth.format).toBe(format);
        const root = pth.root as PyDict;
        for (const [name, want] of Object.entries(zoo.tensors)) {
          const t = rawTensorOf(root.get(name) as TorchTensor, name);
          expect({ name, dtype: t.dtype, shape: t.shape }).toEqual({ name, dtype: want.dtype, shape: want.shape });
          const got = pythonValues(t);
          const expected = want.values.map((v) => (t.dtype === 'int64' ? v : Number(v)));
          expect(got, name).toEqual(expected);
        }
      });

      it('should share one storage between views and aliases, as PyTorch does', async () => {
        const root = (await readPth(fixturePath(file))).root as PyDict;
        const [a, b] = [root.get('shared_a'), root.get('shared_b')] as TorchTensor[];
        expect(a!.storage).toBe(b!.storage);
        const [f32, permuted, offset] = ['f32', 'f32_permuted', 'f32_offset'].map((k) => root.get(k) as TorchTensor);
        expect(permuted!.storage).toBe(f32!.storage);
        expect(permuted!.stride).toEqual([1, 12, 4]);
        expect(offset!.offset).toBe(16);
        expect((root.get('param') as TorchTensor).parameter).toBe(true);
      });

      it('should read numpy scalars and arrays and plain containers as data', async () => {
        const root = (await readPth(fixturePath(file))).root as PyDict;
        expect([root.get('np_f64'), root.get('np_i64'), root.get('np_bool')]).toEqual([2.5, -7, true]);
        expect(rawValues((root.get('np_arr') as NumpyArray).raw)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(pythonValues((root.get('np_i64_arr') as NumpyArray).raw)).toEqual(['1', String(2 ** 40)]);
        const nested = root.get('nested') as PyDict;
        expect(nested.get('list')).toEqual([1, 2.5, 'x', null, true]);
        expect(nested.get('big')).toBe(2n ** 70n);
        expect(nested.get('bytes')).toEqual(Uint8Array.from([0, 255, 97, 98]));
        expect((nested.get('size') as PyTuple).items).toEqual([2, 3]);
        expect(String(nested.get('device') as PyDevice)).toBe('cuda:0');
        expect([...(nested.get('od') as PyDict).keys()]).toEqual(['z', 'a']);
      });
    });
  }

  describe('having an nnssl checkpoint and a selection', () => {
    it('should read only the storages of the selected part', async () => {
      const pth = await readPth(fixturePath('resenc-micro-nnssl.pth'), { select: (root) => (root as PyDict).get('network_weights') });
      const root = pth.root as PyDict;
      const w = root.get('network_weights') as PyDict;
      expect([...w.values()].every((t) => (t as TorchTensor).storage.data !== undefined)).toBe(true);
      const state = ((root.get('optimizer_state') as PyDict).get('state') as PyDict).get(0) as PyDict;
      expect((state.get('momentum_buffer') as TorchTensor).storage.data).toBeUndefined();
    });
  });

  describe('having a file written by our writer', () => {
    it('should read zip64 records and a big-endian byteorder record', async () => {
      const t = float32Raw([1.5, -2, 3.25], [3]);
      const viaZip64 = await encodePthBytes(new PyDict([['w', t as never]], true), { forceZip64: true });
      const w64 = ((await readPth(viaZip64)).root as PyDict).get('w') as TorchTensor;
      expect(rawValues(rawTensorOf(w64, 'w'))).toEqual([1.5, -2, 3.25]);
      const big = new Uint8Array(12);
      [1.5, -2, 3.25].forEach((v, i) => new DataView(big.buffer).setFloat32(4 * i, v, false));
      const pickle = PickleWriter.dump(new PyDict([['w', new WritableTensor({ storageKey: '0', dtype: 'float32', storageNumel: 3, offset: 0, shape: [3], stride: [1] }) as never]]));
      const file = await zipOf([['a/data.pkl', pickle], ['a/byteorder', new TextEncoder().encode('big')], ['a/data/0', big], ['a/version', new TextEncoder().encode('3\n')]]);
      const root = (await readPth(file)).root as PyDict;
      expect(rawValues(rawTensorOf(root.get('w') as TorchTensor, 'w'))).toEqual([1.5, -2, 3.25]);
    });
  });

  describe('having a hostile or broken file', () => {
    it('should refuse a zip checkpoint whose data.pkl names os.system, naming the global and the file', async () => {
      const enc = new TextEncoder();
      const evil = Uint8Array.from([0x80, 2, ...enc.encode('cos\nsystem\n'), 0x58, 2, 0, 0, 0, ...enc.encode('id'), 0x85, 0x52, 0x2e]);
      const msg = await refusal(await zipOf([['archive/data.pkl', evil], ['archive/version', enc.encode('3\n')]]));
      expect(msg).toContain("'os.system'");
      expect(msg).toContain('data.pkl');
    });

    it('should report a truncated zip archive', async () => {
      const whole = readFileSync(fixturePath('zoo.pth'));
      for (const keep of [whole.length - 10, Math.floor(whole.length / 2), 100]) {
        expect(await refusal(new Uint8Array(whole.subarray(0, keep)))).toMatch(/truncated|not a complete zip archive/);
      }
    });

    it('should report a corrupted storage through its CRC', async () => {
      const bytes = new Uint8Array(readFileSync(fixturePath('zoo.pth')));
      const at = Buffer.from(bytes).indexOf('zoo/data/0') + 'zoo/data/0'.length;
      // the first storage's data follows its local header (name, then the 'FB' padding field)
      const dataStart = Math.ceil((at + 4) / 64) * 64;
      bytes[dataStart + 1]! ^= 0xff;
      expect(await refusal(bytes)).toContain('CRC-32');
    });

    it('should refuse a tensor whose storage is too small for it', async () => {
      const pickle = PickleWriter.dump(new PyDict([['w', new WritableTensor({ storageKey: '0', dtype: 'float32', storageNumel: 4, offset: 2, shape: [2, 3], stride: [3, 1] }) as never]]));
      const msg = await refusal(await zipOf([['a/data.pkl', pickle], ['a/data/0', new Uint8Array(16)], ['a/version', new TextEncoder().encode('3\n')]]));
      expect(msg).toContain("tensor 'w'");
      expect(msg).toContain('storage too small');
      // a storage blob shorter than the element count its id declares
      const pickle2 = PickleWriter.dump(new PyDict([['w', new WritableTensor({ storageKey: '0', dtype: 'float32', storageNumel: 8, offset: 0, shape: [8], stride: [1] }) as never]]));
      expect(await refusal(await zipOf([['a/data.pkl', pickle2], ['a/data/0', new Uint8Array(16)], ['a/version', new TextEncoder().encode('3\n')]]))).toContain("storage '0' holds 16 bytes, but 8 float32 elements need 32");
    });

    it('should refuse files that are not PyTorch checkpoints', async () => {
      expect(await refusal(new TextEncoder().encode('{"not": "a checkpoint"}'))).toContain('not a PyTorch checkpoint');
      expect(await refusal(await zipOf([['x/readme.txt', new Uint8Array(3)]]))).toContain("without 'x/data.pkl'");
      expect(await refusal('/nonexistent/file.pth')).toContain('cannot open');
    });
  });
});
