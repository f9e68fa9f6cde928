import { OpenMindError } from '../errors/openmind-error.js';
import type { DType, HostArray } from '../tensor/dtype.js';
import { bf16ToFloat, halfToFloat } from './half-precision.js';

/** safetensors dtype codes we read; we write F32, I32 and U8. */
const ELEMENT_BYTES: Record<string, number> = { F32: 4, I32: 4, U8: 1, F16: 2, BF16: 2, F64: 8, I64: 8, BOOL: 1, I8: 1, I16: 2 };
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export const DTYPE_CODE: Record<DType, string> = { float32: 'F32', int32: 'I32', uint8: 'U8' };

/** One tensor's entry in a safetensors header. */
export interface SafetensorsEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Byte range relative to the start of the data section. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
  /** File offset of the data section (8 + header length). */
  dataOffset: number;
}

/** Encodes the header for tensors laid out back to back in the given order. */
export function encodeHeader(
  tensors: readonly { name: string; dtype: DType; shape: readonly number[] }[],
  metadata: Record<string, string> = {},
): { bytes: Uint8Array; entries: SafetensorsEntry[] } {
  const json: Record<string, unknown> = {};
  if (Object.keys(metadata).length) json.__metadata__ = metadata;
  let offset = 0;
  const entries: SafetensorsEntry[] = [];
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1) * ELEMENT_BYTES[DTYPE_CODE[t.dtype]]!;
    const e = { name: t.name, dtype: DTYPE_CODE[t.dtype], shape: [...t.shape], begin: offset, end: offset + n };
    json[t.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [e.begin, e.end] };
    entries.push(e);
    offset += n;
  }
  const raw = new TextEncoder().encode(JSON.stringify(json));
  // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
  const body = new Uint8Array(raw.length + ((8 - (raw.length % 8)) % 8)).fill(0x20);
  body.set(raw);
  const bytes = new Uint8Array(8 + body.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(body.length), true);
  bytes.set(body, 8);
  return { bytes, entries };
}

/**
 * Parses and validates a header: the length prefix, the JSON, every dtype, shape and byte range
 * (ranges must tile the data section, which must fit in `fileSize`).
 * @throws OpenMindError naming `source` and the problem.
 */
export function decodeHeader(prefix: Uint8Array, readHeader: (length: number) => Uint8Array, fileSize: number, source: string): SafetensorsHeader {
  if (fileSize < 8 || prefix.length < 8) throw new OpenMindError(`${source}: truncated safetensors file (${fileSize} bytes, no header)`);
  const length = Number(new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true));
  if (length > MAX_HEADER_BYTES || 8 + length > fileSize) {
    throw new OpenMindError(`${source}: corrupt or truncated safetensors header (declares ${length} bytes, file has ${fileSize})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(readHeader(length)));
  } catch {
    throw new OpenMindError(`${source}: safetensors header is not valid JSON (corrupt file?)`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!isObject(json)) throw new OpenMindError(`${source}: safetensors header must be a JSON object, but it is ${JSON.stringify(json)?.slice(0, 40)}`);
  const entries: SafetensorsEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(json)) {
    if (name === '__metadata__') {
      if (!isObject(raw) || !Object.values(raw).every((v) => typeof v === 'string')) {
        throw new OpenMindError(`${source}: safetensors __metadata__ must map names to strings`);
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    const r = (isObject(raw) ? raw : {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const size = typeof r.dtype === 'string' && Object.hasOwn(ELEMENT_BYTES, r.dtype) ? ELEMENT_BYTES[r.dtype] : undefined;
    const shapeOk = Array.isArray(r.shape) && r.shape.every(isCount);
    const offsetsOk = Array.isArray(r.data_offsets) && r.data_offsets.length === 2 && r.data_offsets.every(isCount) && (r.data_offsets[0] as number) <= (r.data_offsets[1] as number);
    if (!size || !shapeOk || !offsetsOk) {
      throw new OpenMindError(`${source}: tensor '${name}' has an invalid header entry (dtype ${JSON.stringify(r.dtype)}, shape ${JSON.stringify(r.shape)}, data_offsets ${JSON.stringify(r.data_offsets)})`);
    }
    const shape = r.shape as number[];
    const [begin, end] = r.data_offsets as [number, number];
    const expected = shape.reduce((a, b) => a * b, 1) * size;
    if (end - begin !== expected) {
      throw new OpenMindError(`${source}: tensor '${name}' [${shape}] ${r.dtype} needs ${expected} bytes, header gives ${end - begin}`);
    }
    entries.push({ name, dtype: r.dtype as string, shape, begin, end });
  }
  // As the reference implementation requires: the ranges tile the data section, without gaps or overlaps.
  const sorted = [...entries].sort((x, y) => x.begin - y.begin || x.end - y.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin !== at) throw new OpenMindError(`${source}: tensor '${e.name}' starts at byte ${e.begin} of the data, but the tensors before it end at ${at} (overlapping or gapped offsets: corrupt file)`);
    at = e.end;
  }
  const dataOffset = 8 + length;
  if (dataOffset + at > fileSize) {
    throw new OpenMindError(`${source}: truncated safetensors file: data needs ${dataOffset + at} bytes, file has ${fileSize}`);
  }
  return { entries, metadata, dataOffset };
}

/** Converts one tensor's little-endian bytes to our host dtypes (F16/BF16/F64 → float32; I64/I8/I16 → int32; BOOL → uint8). */
export function decodeTensorBytes(entry: SafetensorsEntry, bytes: Uint8Array): { dtype: DType; data: HostArray } {
  const n = entry.shape.reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (entry.dtype) {
    case 'F32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      return { dtype: 'float32', data: out };
    }
    case 'F64':
      return { dtype: 'float32', data: Float32Array.from({ length: n }, (_, i) => view.getFloat64(8 * i, true)) };
    case 'F16':
      return { dtype: 'float32', data: Float32Array.from({ length: n }, (_, i) => halfToFloat(view.getUint16(2 * i, true))) };
    case 'BF16':
      return { dtype: 'float32', data: Float32Array.from({ length: n }, (_, i) => bf16ToFloat(view.getUint16(2 * i, true))) };
    case 'I32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true);
      return { dtype: 'int32', data: out };
    }
    case 'I64':
      return { dtype: 'int32', data: Int32Array.from({ length: n }, (_, i) => Number(view.getBigInt64(8 * i, true))) };
    case 'I16':
      return { dtype: 'int32', data: Int32Array.from({ length: n }, (_, i) => view.getInt16(2 * i, true)) };
    case 'I8':
      return { dtype: 'int32', data: Int32Array.from({ length: n }, (_, i) => view.getInt8(i)) };
    default:
      return { dtype: 'uint8', data: Uint8Array.from(bytes.subarray(0, n)) };
  }
}

/** Little-endian bytes of a host array. */
export function encodeTensorBytes(data: HostArray): Uint8Array {
  if (data instanceof Uint8Array) return data;
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i]!, true);
  else for (let i = 0; i < data.length; i++) view.setInt32(4 * i, data[i]!, true);
  return out;
}
