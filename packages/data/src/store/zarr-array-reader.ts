import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { OpenMindError } from '@openmind-ssl/core';
import { copyBox, to4d } from './nd-box.js';
import { decodeChunk, indexByteLength, parseShardIndex } from './shard-codec.js';
import { DTYPE_BYTES, parseArrayMetadata, shardKey, type StoreArray, type StoreDType, type ZarrArrayMetadata } from './zarr-metadata.js';

/**
 * Random access to a region of a single-shard Zarr v3 array: only the inner chunks the region touches
 * are read (adjacent chunks in one `pread`) and decoded. Reads are synchronous, for use in worker threads.
 */
export class ZarrArrayReader {
  readonly shape: number[];
  readonly dtype: StoreDType;
  readonly chunkShape: number[];
  readonly attributes: Record<string, unknown>;
  private readonly fd: number;
  private readonly file: string;
  private readonly offset: Float64Array;
  private readonly length: Float64Array;
  private readonly grid: number[];
  private readonly compressed: boolean;

  private constructor(meta: ZarrArrayMetadata, fd: number, file: string, index: { offset: Float64Array; length: Float64Array }) {
    this.shape = meta.shape;
    this.dtype = meta.data_type;
    this.chunkShape = meta.codecs[0].configuration.chunk_shape;
    this.attributes = meta.attributes;
    this.compressed = meta.codecs[0].configuration.codecs.length === 2;
    this.fd = fd;
    this.file = file;
    this.offset = index.offset;
    this.length = index.length;
    this.grid = to4d(this.shape, 1).map((s, i) => Math.max(1, Math.ceil(s / to4d(this.chunkShape, 1)[i]!)));
  }

  /**
   * Opens the array folder `dir` (reads `zarr.json` and the shard index).
   * @throws OpenMindError for a missing or unsupported array, or a shard whose index checksum fails.
   */
  static open(dir: string): ZarrArrayReader {
    const metaFile = join(dir, 'zarr.json');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(metaFile, 'utf8'));
    } catch (err) {
      throw new OpenMindError(`Zarr array "${dir}": zarr.json must exist and be valid JSON, but reading it failed.`, { cause: err });
    }
    const meta = parseArrayMetadata(json, metaFile);
    if (meta.shape.length > 4) throw new OpenMindError(`Zarr array "${dir}": at most 4 dimensions are supported, but shape is [${meta.shape.join(', ')}].`);
    const file = join(dir, ...shardKey(meta.shape.length).split('/'));
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (err) {
      throw new OpenMindError(`Zarr array "${dir}": its shard "${file}" must exist, but opening it failed (${(err as NodeJS.ErrnoException).code ?? String(err)}).`, { cause: err });
    }
    try {
      const size = fstatSync(fd).size;
      const c4 = to4d(meta.codecs[0].configuration.chunk_shape, 1);
      const nChunks = to4d(meta.shape, 1).reduce((p, s, i) => p * Math.max(1, Math.ceil(s / c4[i]!)), 1);
      const idxLen = indexByteLength(nChunks);
      if (size < idxLen) throw new OpenMindError(`Zarr shard "${file}": size must be at least ${idxLen} bytes (the index), but got ${size}.`);
      const idx = new Uint8Array(idxLen);
      readSync(fd, idx, 0, idxLen, size - idxLen);
      return new ZarrArrayReader(meta, fd, file, parseShardIndex(idx, nChunks, file));
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /**
   * Reads the region starting at `start` of extent `size` (any rank-matching box; parts outside the array
   * are filled with `outside`). Float16 arrays come back as float32.
   * @param out optional destination of `prod(size)` elements, of the array's read type.
   */
  read(start: readonly number[], size: readonly number[], outside = 0, out?: StoreArray): StoreArray {
    const job = this.gather(start, size, outside, out);
    for (const c of job.chunks) job.place(c.id, c.bytes && this.decoded(c.id, () => decodeChunk(c.bytes!, this.dtype, job.chunkLen, this.compressed)));
    return job.dst;
  }

  /**
   * As {@link read}, but decompresses the chunks concurrently on libuv's thread pool (`UV_THREADPOOL_SIZE`,
   * 4 by default, shared by all worker threads of the process), so one reader can use several cores.
   */
  async readAsync(start: readonly number[], size: readonly number[], outside = 0, out?: StoreArray): Promise<StoreArray> {
    const job = this.gather(start, size, outside, out);
    await Promise.all(
      job.chunks.map(async (c) => {
        const expected = job.chunkLen * DTYPE_BYTES[this.dtype];
        const raw = c.bytes && this.compressed
          ? await gunzipAsync(c.bytes, { chunkSize: Math.max(64, expected), maxOutputLength: expected + 1 }).catch((err: unknown) => this.decoded(c.id, () => { throw err; }))
          : c.bytes;
        job.place(c.id, raw && this.decoded(c.id, () => decodeChunk(raw, this.dtype, job.chunkLen, false)));
      }),
    );
    return job.dst;
  }

  /** Runs a chunk decode, turning a corrupt chunk (zlib error, wrong size) into an error naming the shard. */
  private decoded<T>(id: number, decode: () => T): T {
    try {
      return decode();
    } catch (err) {
      throw new OpenMindError(`Zarr shard "${this.file}": chunk ${id} does not decode (${(err as Error).message.replace(/^Zarr chunk: /, '')}).\nHint: the file is damaged; preprocess the case again.`, { cause: err });
    }
  }

  /**
   * Plans a region read: allocates (or clears) the destination, finds the touched chunks in file order and
   * reads their bytes, adjacent chunks with a single pread each. Chunks that were never written have no bytes.
   */
  private gather(start: readonly number[], size: readonly number[], outside: number, out: StoreArray | undefined) {
    const s4 = to4d(this.shape, 1);
    const c4 = to4d(this.chunkShape, 1);
    const st = to4d(start, 0);
    const sz = to4d(size, 1);
    const total = sz[0] * sz[1] * sz[2] * sz[3];
    const dst = out ?? (this.dtype === 'int8' ? new Int8Array(total) : this.dtype === 'int32' ? new Int32Array(total) : new Float32Array(total));
    const lo = st.map((v) => Math.max(0, v));
    const hi = st.map((v, i) => Math.min(s4[i]!, v + sz[i]!));
    const covers = lo.every((v, i) => v === st[i]) && hi.every((v, i) => v === st[i]! + sz[i]!);
    if (!covers) dst.fill(outside);
    const chunkLen = c4[0] * c4[1] * c4[2] * c4[3];
    const chunks: { id: number; bytes: Uint8Array | null }[] = [];
    const place = (id: number, values: StoreArray | null) => this.place(values, id, chunkLen, st, sz, lo, hi, dst);
    if (hi.some((h, i) => h <= lo[i]!)) return { dst, chunks, chunkLen, place };
    const cLo = lo.map((v, i) => Math.floor(v / c4[i]!));
    const cHi = hi.map((v, i) => Math.ceil(v / c4[i]!));
    const ids: number[] = [];
    for (let a = cLo[0]!; a < cHi[0]!; a++) {
      for (let b = cLo[1]!; b < cHi[1]!; b++) {
        for (let c = cLo[2]!; c < cHi[2]!; c++) {
          for (let d = cLo[3]!; d < cHi[3]!; d++) ids.push(((a * this.grid[1]! + b) * this.grid[2]! + c) * this.grid[3]! + d);
        }
      }
    }
    let i = 0;
    while (i < ids.length) {
      const first = ids[i]!;
      if (this.offset[first]! < 0) {
        chunks.push({ id: first, bytes: null });
        i++;
        continue;
      }
      let j = i + 1;
      let end = this.offset[first]! + this.length[first]!;
      while (j < ids.length && this.offset[ids[j]!] === end) {
        end += this.length[ids[j]!]!;
        j++;
      }
      const buf = new Uint8Array(end - this.offset[first]!);
      const got = readSync(this.fd, buf, 0, buf.length, this.offset[first]!);
      if (got !== buf.length) throw new OpenMindError(`Zarr shard "${this.file}": a chunk must be ${buf.length} bytes long, but only ${got} could be read.`);
      for (let k = i; k < j; k++) {
        const id = ids[k]!;
        const at = this.offset[id]! - this.offset[first]!;
        chunks.push({ id, bytes: buf.subarray(at, at + this.length[id]!) });
      }
      i = j;
    }
    return { dst, chunks, chunkLen, place };
  }

  /** Copies the part of chunk `id` that lies in the requested box (a missing chunk is fill value 0). */
  private place(values: StoreArray | null, id: number, chunkLen: number, st: number[], sz: number[], lo: number[], hi: number[], dst: StoreArray): void {
    const c4 = to4d(this.chunkShape, 1);
    const g = this.grid;
    const coord = [Math.floor(id / (g[1]! * g[2]! * g[3]!)), Math.floor(id / (g[2]! * g[3]!)) % g[1]!, Math.floor(id / g[3]!) % g[2]!, id % g[3]!];
    const origin = coord.map((c, i) => c * c4[i]!);
    const boxLo = origin.map((o, i) => Math.max(o, lo[i]!));
    const boxHi = origin.map((o, i) => Math.min(o + c4[i]!, hi[i]!));
    const src = values ?? zeros(this.dtype, chunkLen);
    copyBox(src, c4, origin, dst, sz, st, boxLo, boxHi);
  }

  /** Releases the file handle. */
  close(): void {
    closeSync(this.fd);
  }
}

const gunzipAsync = promisify(gunzip);

const zeroChunks = new Map<StoreDType, StoreArray>();
/** A chunk of zeros of the array's read type (so the copy stays on its typed fast path). */
function zeros(dtype: StoreDType, n: number): StoreArray {
  let z = zeroChunks.get(dtype);
  if (!z || z.length < n) {
    z = dtype === 'int8' ? new Int8Array(n) : dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
    zeroChunks.set(dtype, z);
  }
  return z;
}
