import { open, stat } from 'node:fs/promises';
import { OpenMindError } from '../errors/openmind-error.js';
import type { DType, HostArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { writeStreamAtomic } from './atomic-write.js';
import {
  decodeHeader, decodeTensorBytes, encodeHeader, encodeTensorBytes, type SafetensorsHeader,
} from './safetensors.js';

/** A tensor read from a file, still on the host. */
export interface HostTensor {
  dtype: DType;
  shape: number[];
  data: HostArray;
}

/**
 * Writes tensors to a .safetensors file atomically, one tensor at a time (each is read from its backend
 * and written before the next, so the whole model is never copied at once).
 */
export async function saveSafetensors(path: string, tensors: ReadonlyMap<string, Tensor>, metadata: Record<string, string> = {}): Promise<void> {
  const list = [...tensors].map(([name, t]) => ({ name, dtype: t.dtype, shape: [...t.shape], tensor: t }));
  const { bytes } = encodeHeader(list, metadata);
  await writeStreamAtomic(path, async (append) => {
    await append(bytes);
    for (const t of list) await append(encodeTensorBytes(await t.tensor.data()));
  });
}

/** Writes host tensors (already read) to a .safetensors file atomically. */
export async function saveHostSafetensors(path: string, tensors: ReadonlyMap<string, HostTensor>, metadata: Record<string, string> = {}): Promise<void> {
  const list = [...tensors].map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape, data: t.data }));
  const { bytes } = encodeHeader(list, metadata);
  await writeStreamAtomic(path, async (append) => {
    await append(bytes);
    for (const t of list) await append(encodeTensorBytes(t.data));
  });
}

/** Reads and validates the header only. */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsHeader> {
  const size = await fileSize(path);
  const fh = await open(path, 'r');
  try {
    const prefix = Buffer.alloc(Math.min(8, size));
    await fh.read(prefix, 0, prefix.length, 0);
    let header: Buffer | undefined;
    const length = size >= 8 ? Number(prefix.readBigUInt64LE(0)) : 0;
    if (size >= 8 && 8 + length <= size && length < 100 * 1024 * 1024) {
      header = Buffer.alloc(length);
      await fh.read(header, 0, length, 8);
    }
    return decodeHeader(prefix, () => header ?? new Uint8Array(), size, path);
  } finally {
    await fh.close();
  }
}

/**
 * Reads every tensor of a .safetensors file into host memory, each by its own positioned read. The
 * header is validated against the file size first, so a truncated file fails before anything is used.
 * @throws OpenMindError naming the file and the problem.
 */
export async function loadSafetensors(path: string): Promise<{ tensors: Map<string, HostTensor>; metadata: Record<string, string> }> {
  const header = await readSafetensorsHeader(path);
  const fh = await open(path, 'r');
  const tensors = new Map<string, HostTensor>();
  try {
    for (const e of header.entries) {
      const buf = Buffer.alloc(e.end - e.begin);
      const { bytesRead } = await fh.read(buf, 0, buf.length, header.dataOffset + e.begin);
      if (bytesRead !== buf.length) throw new OpenMindError(`${path}: truncated while reading tensor '${e.name}'`);
      const { dtype, data } = decodeTensorBytes(e, buf);
      tensors.set(e.name, { dtype, shape: e.shape, data });
    }
  } finally {
    await fh.close();
  }
  return { tensors, metadata: header.metadata };
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    throw new OpenMindError(`${path}: file not found`);
  }
}
