import { OpenMindError } from '../errors/openmind-error.js';
import type { HostTensor } from './safetensors-file.js';
import { decodeHeader, decodeTensorBytes, encodeHeader, encodeTensorBytes } from './safetensors.js';

/**
 * Decodes a whole .safetensors file held in memory (a browser File's bytes, a download): the header is
 * validated against the byte length first, then every tensor decoded. No file system is involved.
 * @param source what error messages call the file
 * @throws OpenMindError naming `source` for a truncated or corrupt file.
 */
export function decodeSafetensors(bytes: Uint8Array, source: string): { tensors: Map<string, HostTensor>; metadata: Record<string, string> } {
  const header = decodeHeader(bytes.subarray(0, 8), (length) => bytes.subarray(8, 8 + length), bytes.length, source);
  const tensors = new Map<string, HostTensor>();
  for (const e of header.entries) {
    const from = header.dataOffset + e.begin;
    const to = header.dataOffset + e.end;
    if (to > bytes.length) throw new OpenMindError(`${source}: truncated while reading tensor '${e.name}'`);
    const { dtype, data } = decodeTensorBytes(e, bytes.subarray(from, to));
    tensors.set(e.name, { dtype, shape: e.shape, data });
  }
  return { tensors, metadata: header.metadata };
}

/** Encodes host tensors as the bytes of one .safetensors file (header, then each tensor in order). */
export function encodeSafetensors(tensors: ReadonlyMap<string, HostTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const list = [...tensors].map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape, data: t.data }));
  const { bytes: head } = encodeHeader(list, metadata);
  const parts = list.map((t) => encodeTensorBytes(t.data));
  const out = new Uint8Array(head.length + parts.reduce((n, p) => n + p.length, 0));
  out.set(head);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
