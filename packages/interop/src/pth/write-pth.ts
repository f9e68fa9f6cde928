import { OpenMindError, writeStreamAtomic } from '@openmind-ssl/core';
import { PickleWriter, type WritableValue, WritableTensor } from '../pickle/pickle-writer.js';
import { PyDict, PySet, PyTuple, type PyValue } from '../pickle/py-value.js';
import { numelOf, type RawTensor } from '../torch/raw-tensor.js';
import { elementSize } from '../torch/torch-dtype.js';
import { type Append, ZipWriter } from '../zip/zip-writer.js';

/**
 * What `writePth` accepts: plain Python-like data (PyDict for dicts; `ordered` ones become
 * OrderedDicts), with RawTensors where tensors go. The same RawTensor object (or two RawTensors sharing
 * one `data` buffer) is written once and shared, as torch.save shares storages between aliases.
 */
export type PthValue = PyValue | RawTensor | PthValue[] | Map<string | number, PthValue>;

/** Options of `writePth`. */
export interface WritePthOptions {
  /** Zip folder name inside the archive (torch uses the file's stem; any name loads). Default 'archive'. */
  archiveName?: string;
  /** Write zip64 records even when not needed (tests). */
  forceZip64?: boolean;
}

export function isRawTensor(v: unknown): v is RawTensor {
  return typeof v === 'object' && v !== null && (v as RawTensor).data instanceof Uint8Array && Array.isArray((v as RawTensor).shape) && typeof (v as RawTensor).dtype === 'string';
}

/**
 * Encodes a value as a PyTorch zip checkpoint, streaming it to `append`: `<archive>/data.pkl` (protocol 2,
 * weights-only-compatible opcodes and globals), `<archive>/byteorder`, one stored entry per storage,
 * `<archive>/version`.
 */
export async function encodePth(value: PthValue, append: Append, options: WritePthOptions = {}): Promise<void> {
  const storages = new Map<Uint8Array, { key: string; tensor: RawTensor }>();
  const convert = (v: PthValue): WritableValue => {
    if (isRawTensor(v)) {
      const n = numelOf(v.shape);
      if (v.data.length !== n * elementSize(v.dtype)) {
        throw new OpenMindError(`writePth: tensor [${v.shape.join(', ')}] ${v.dtype} needs ${n * elementSize(v.dtype)} bytes, but has ${v.data.length}.`);
      }
      let s = storages.get(v.data);
      if (s && s.tensor.dtype !== v.dtype) s = undefined;
      if (!s) {
        s = { key: String(storages.size), tensor: v };
        storages.set(v.data, s);
      }
      const stride = v.shape.map((_, i) => v.shape.slice(i + 1).reduce((a, b) => a * b, 1));
      return new WritableTensor({ storageKey: s.key, dtype: v.dtype, storageNumel: numelOf(s.tensor.shape), offset: 0, shape: [...v.shape], stride });
    }
    if (v instanceof PyTuple) return new PyTuple(v.items.map((x) => convert(x) as PyValue));
    if (v instanceof PySet) return new PySet(v.items.map((x) => convert(x) as PyValue), v.frozen);
    if (Array.isArray(v)) return v.map(convert);
    if (v instanceof Map) {
      const out = new PyDict(undefined, v instanceof PyDict ? v.ordered : false);
      for (const [k, x] of v) out.set(k, convert(x) as PyValue);
      return out;
    }
    return v as WritableValue;
  };
  const pickle = PickleWriter.dump(convert(value));
  const prefix = `${options.archiveName ?? 'archive'}/`;
  const zip = new ZipWriter(append, options.forceZip64 ? { forceZip64: true } : {});
  await zip.add(`${prefix}data.pkl`, pickle);
  await zip.add(`${prefix}byteorder`, new TextEncoder().encode('little'));
  for (const { key, tensor } of storages.values()) await zip.add(`${prefix}data/${key}`, tensor.data);
  await zip.add(`${prefix}version`, new TextEncoder().encode('3\n'));
  await zip.finish();
}

/**
 * Writes a PyTorch zip checkpoint atomically (temporary file, fsync, rename) that `torch.load` opens,
 * with `weights_only=True` too when the data holds no non-integral floats on torch 1.13 (newer torch
 * reads floats there as well).
 */
export async function writePth(path: string, value: PthValue, options: WritePthOptions = {}): Promise<void> {
  await writeStreamAtomic(path, (append) => encodePth(value, append, options));
}

/** The bytes of a PyTorch zip checkpoint, in memory. */
export async function encodePthBytes(value: PthValue, options: WritePthOptions = {}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await encodePth(value, async (c) => {
    chunks.push(Uint8Array.from(c));
  }, options);
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
