import { gzipSync, gunzipSync } from 'node:zlib';
import { OpenMindError } from '@openmind-ssl/core';
import { crc32c } from './crc32c.js';
import { decodeFloat16, encodeFloat16 } from './float16.js';
import { copyBox, to4d } from './nd-box.js';
import { DTYPE_BYTES, type StoreArray, type StoreDType } from './zarr-metadata.js';

/** Index entry of a chunk that was not written (all fill value), per the sharding spec. */
const EMPTY = 0xffffffffffffffffn;

/** Bytes of one index entry (offset and length, uint64 each). */
const ENTRY_BYTES = 16;

/**
 * Encodes a whole array as one Zarr v3 `sharding_indexed` shard: inner chunks in C order, each the full
 * chunk shape (edge chunks padded with 0), little-endian, gzip-compressed when `level` > 0; chunks that
 * are entirely 0 are left out; then the index (offset, length as uint64 per chunk) and its CRC-32C.
 * Output is deterministic: the same array and settings give the same bytes.
 *
 * @param data values in row-major order; float16 is given as float32 and rounded to nearest even.
 */
export function encodeShard(
  data: StoreArray,
  shape: readonly number[],
  dtype: StoreDType,
  chunkShape: readonly number[],
  level: number,
): Uint8Array {
  const s4 = to4d(shape, 1);
  const c4 = to4d(chunkShape, 1);
  const grid = s4.map((s, i) => Math.max(1, Math.ceil(s / c4[i]!)));
  const nChunks = grid[0]! * grid[1]! * grid[2]! * grid[3]!;
  const chunkLen = c4[0] * c4[1] * c4[2] * c4[3];
  const chunk = dtype === 'int8' ? new Int8Array(chunkLen) : dtype === 'int32' ? new Int32Array(chunkLen) : new Float32Array(chunkLen);
  const parts: Uint8Array[] = [];
  const index = new BigUint64Array(nChunks * 2);
  let offset = 0;
  let n = 0;
  for (let a = 0; a < grid[0]!; a++) {
    for (let b = 0; b < grid[1]!; b++) {
      for (let c = 0; c < grid[2]!; c++) {
        for (let d = 0; d < grid[3]!; d++, n++) {
          const origin = [a * c4[0], b * c4[1], c * c4[2], d * c4[3]];
          const hi = origin.map((o, i) => Math.min(s4[i]!, o + c4[i]!));
          chunk.fill(0);
          copyBox(data, s4, [0, 0, 0, 0], chunk, c4, origin, origin, hi);
          if (isAllZero(chunk)) {
            index[2 * n] = EMPTY;
            index[2 * n + 1] = EMPTY;
            continue;
          }
          const raw = dtype === 'float16' ? encodeFloat16(chunk as Float32Array) : chunk;
          const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
          const encoded = level > 0 ? new Uint8Array(gzipSync(bytes, { level })) : bytes.slice();
          index[2 * n] = BigInt(offset);
          index[2 * n + 1] = BigInt(encoded.length);
          parts.push(encoded);
          offset += encoded.length;
        }
      }
    }
  }
  const indexBytes = new Uint8Array(index.buffer);
  const crc = new Uint8Array(4);
  new DataView(crc.buffer).setUint32(0, crc32c(indexBytes), true);
  const out = new Uint8Array(offset + indexBytes.length + 4);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  out.set(indexBytes, at);
  out.set(crc, at + indexBytes.length);
  return out;
}

/** Number of index bytes (entries plus checksum) at the end of a shard with `nChunks` chunks. */
export function indexByteLength(nChunks: number): number {
  return nChunks * ENTRY_BYTES + 4;
}

/**
 * Parses a shard index: per chunk its byte offset and length (−1 for a chunk that was not written).
 * @throws OpenMindError when the CRC-32C does not match (a torn or corrupted file).
 */
export function parseShardIndex(bytes: Uint8Array, nChunks: number, file: string): { offset: Float64Array; length: Float64Array } {
  const body = bytes.subarray(0, nChunks * ENTRY_BYTES);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stored = view.getUint32(nChunks * ENTRY_BYTES, true);
  if (crc32c(body) !== stored) {
    throw new OpenMindError(`Zarr shard "${file}": the index checksum must match its CRC-32C, but it does not (the file is truncated or corrupt).\nHint: delete the case folder and run preprocessing again; it redoes missing cases.`);
  }
  const offset = new Float64Array(nChunks);
  const length = new Float64Array(nChunks);
  for (let i = 0; i < nChunks; i++) {
    const o = view.getBigUint64(i * ENTRY_BYTES, true);
    const l = view.getBigUint64(i * ENTRY_BYTES + 8, true);
    offset[i] = o === EMPTY ? -1 : Number(o);
    length[i] = l === EMPTY ? -1 : Number(l);
  }
  return { offset, length };
}

/** Decodes one inner chunk's bytes into values (float16 widened to float32). */
export function decodeChunk(encoded: Uint8Array, dtype: StoreDType, chunkLen: number, compressed: boolean): StoreArray {
  const expected = chunkLen * DTYPE_BYTES[dtype];
  // One output buffer of the final size: zlib's default 16 KiB pieces would be concatenated afterwards.
  // maxOutputLength: a corrupt chunk cannot inflate past its expected size (one byte more shows it is too long).
  const raw = compressed ? gunzipSync(encoded, { chunkSize: Math.max(64, expected), maxOutputLength: expected + 1 }) : encoded;
  if (raw.length !== expected) {
    throw new OpenMindError(`Zarr chunk: decoded size must be ${expected} bytes, but got ${raw.length}.`);
  }
  // Typed views need an offset that is a multiple of the element size; zlib output usually starts at 0,
  // but a pooled or sliced buffer may not, and then it is copied once.
  let buf = raw;
  if (buf.byteOffset % DTYPE_BYTES[dtype] !== 0) {
    buf = new Uint8Array(raw.length);
    buf.set(raw);
  }
  const n = chunkLen;
  if (dtype === 'float16') return decodeFloat16(new Uint16Array(buf.buffer, buf.byteOffset, n));
  if (dtype === 'int8') return new Int8Array(buf.buffer, buf.byteOffset, n);
  if (dtype === 'int32') return new Int32Array(buf.buffer, buf.byteOffset, n);
  return new Float32Array(buf.buffer, buf.byteOffset, n);
}

function isAllZero(a: StoreArray): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}
