import { OpenMindError, readSafetensorsHeader, writeStreamAtomic } from '@openmind-ssl/core';
import { numelOf, type RawTensor } from '../torch/raw-tensor.js';
import { dtypeOfSafetensorsCode, elementSize, safetensorsCodeOf } from '../torch/torch-dtype.js';
import { fileSource } from '../zip/byte-source.js';

/**
 * Reads every tensor of a .safetensors file with its stored dtype and bytes unchanged (core's reader
 * converts to its three compute dtypes; conversion must not). The header is validated first (core's
 * `readSafetensorsHeader`: every byte range against the file size).
 * @throws OpenMindError naming the file for a truncated/corrupt file or an unsupported dtype.
 */
export async function readRawSafetensors(path: string): Promise<{ tensors: Map<string, RawTensor>; metadata: Record<string, string> }> {
  const header = await readSafetensorsHeader(path);
  const source = await fileSource(path);
  const tensors = new Map<string, RawTensor>();
  try {
    for (const e of header.entries) {
      const dtype = dtypeOfSafetensorsCode(e.dtype, path);
      tensors.set(e.name, { dtype, shape: [...e.shape], data: await source.read(header.dataOffset + e.begin, e.end - e.begin) });
    }
  } finally {
    await source.close();
  }
  return { tensors, metadata: header.metadata ?? {} };
}

/**
 * Writes tensors of any supported dtype to a .safetensors file atomically, laid out back to back in map
 * order; the header is space-padded so the data starts 8-byte aligned.
 * @throws OpenMindError when a tensor's byte length does not match its shape.
 */
export async function writeRawSafetensors(path: string, tensors: ReadonlyMap<string, RawTensor>, metadata: Record<string, string> = {}): Promise<void> {
  const json: Record<string, unknown> = {};
  if (Object.keys(metadata).length) json['__metadata__'] = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    const n = numelOf(t.shape) * elementSize(t.dtype);
    if (t.data.length !== n) throw new OpenMindError(`${path}: tensor '${name}' [${t.shape.join(', ')}] ${t.dtype} needs ${n} bytes, but has ${t.data.length}.`);
    json[name] = { dtype: safetensorsCodeOf(t.dtype), shape: t.shape, data_offsets: [offset, offset + n] };
    offset += n;
  }
  const text = new TextEncoder().encode(JSON.stringify(json));
  const body = new Uint8Array(text.length + ((8 - (text.length % 8)) % 8)).fill(0x20);
  body.set(text);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(body.length), true);
  await writeStreamAtomic(path, async (append) => {
    await append(prefix);
    await append(body);
    for (const t of tensors.values()) await append(t.data);
  });
}
