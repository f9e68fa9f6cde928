import { open, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { createGunzip } from 'node:zlib';
import { dtypeFromCode } from './dtypes.js';
import type { NiftiHeader } from './header.js';
import { NIFTI1_HEADER_BYTES, NIFTI2_HEADER_BYTES, headerShape } from './header.js';
import { niftiError } from './nifti-error.js';
import { parseNiftiHeader } from './parse-header.js';
import type { NonFiniteCount } from './voxel-scanner.js';
import { VoxelScanner } from './voxel-scanner.js';
import { dataByteLength, dataOffset, sizeProblem } from './voxel-layout.js';

export { dataByteLength, dataOffset };

/** Header and raw voxel bytes of a file, before byte swapping and scaling. */
export interface RawNifti {
  header: NiftiHeader;
  /** The voxel bytes in host byte order, in a buffer of their own (offset 0, so typed views align). */
  bytes: Uint8Array | undefined;
  /** NaN/Inf among the stored voxels, counted while reading (zero when counting was off). */
  nonFinite: NonFiniteCount;
  /** Whether the file was gzip-compressed. */
  compressed: boolean;
  /** Bytes after the voxels that the header does not account for. */
  trailingBytes: number;
}

const GZIP_CHUNK = 1 << 20;
const READ_CHUNK = 1 << 22;
const NONE: NonFiniteCount = { nan: 0, inf: 0, first: -1 };

/**
 * The most a deflate stream can inflate: 258 bytes per 2-bit code is about 1032:1 (zlib's technical
 * notes). A gzip file of n bytes can therefore not hold more than 1032·n bytes of voxels, so a header
 * that declares more (a gzip bomb, or a corrupt dim) is refused before anything is allocated.
 */
export const GZIP_MAX_RATIO = 1032;
/** Bytes decompressed after the voxels before reading stops: a bomb of trailing zeros must not spin forever. */
const MAX_TRAILING_BYTES = 16 << 20;

/** The one-line reason a path cannot be opened as a file (missing, a folder, no permission…). */
export function fileAccessProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'the file does not exist';
  if (code === 'EISDIR') return 'it is a directory, but a .nii or .nii.gz file is expected';
  if (code === 'ENOTDIR') return 'a component of the path is a file, not a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'it cannot be read: permission denied';
  return `it cannot be read (${(err as Error)?.message ?? String(err)})`;
}

/**
 * Reads a `.nii` or `.nii.gz` file (told apart by the gzip signature, not the name). A gzip file is
 * decompressed as a stream straight into one buffer of the size the header announces, so a volume is
 * never held twice; with `headerOnly` it stops after the header. Bytes are brought into host order, and
 * NaN/Inf counted (unless `countNonFinite` is false), chunk by chunk while the next chunk is read.
 * @throws OpenMindError for an empty, truncated or corrupt file, or a bad header.
 */
export async function readRawNifti(file: string, headerOnly = false, countNonFinite = true): Promise<RawNifti> {
  const info = await stat(file).catch((err: unknown) => {
    throw niftiError(file, fileAccessProblem(err), undefined, err);
  });
  if (info.isDirectory()) throw niftiError(file, fileAccessProblem({ code: 'EISDIR' }));
  const size = info.size;
  if (size === 0) throw niftiError(file, 'the file is empty');
  const fh = await open(file, 'r').catch((err: unknown) => {
    throw niftiError(file, fileAccessProblem(err), undefined, err);
  });
  let compressed: boolean;
  try {
    const sig = new Uint8Array(2);
    await fh.read(sig, 0, 2, 0);
    compressed = sig[0] === 0x1f && sig[1] === 0x8b;
    if (!compressed) return await readPlain(fh, size, file, headerOnly, countNonFinite);
  } finally {
    await fh.close();
  }
  return readGzip(file, size, headerOnly, countNonFinite);
}

/** Refuses a declared voxel size no buffer can hold, before anything is allocated. */
function checkAllocatable(h: NiftiHeader, need: number, file: string): void {
  if (!Number.isSafeInteger(need) || need > bufferConstants.MAX_LENGTH) {
    throw niftiError(file, `dim [${headerShape(h).join(', ')}] declares ${need} bytes of voxel data, more than one buffer can hold (${bufferConstants.MAX_LENGTH})`);
  }
}

async function readPlain(fh: import('node:fs/promises').FileHandle, size: number, file: string, headerOnly: boolean, countNonFinite: boolean): Promise<RawNifti> {
  const head = new Uint8Array(Math.min(size, NIFTI2_HEADER_BYTES));
  await fh.read(head, 0, head.length, 0);
  const header = parseNiftiHeader(head, file);
  if (headerOnly) return { header, bytes: undefined, nonFinite: NONE, compressed: false, trailingBytes: 0 };
  const offset = dataOffset(header);
  const need = dataByteLength(header);
  // Compared before allocating: a header cannot make us allocate more than the file holds.
  if (!(size >= offset + need)) throw sizeProblem(header, size - offset, file, false);
  checkAllocatable(header, need, file);
  // Every byte is overwritten, so the buffer need not be zeroed; allocUnsafeSlow gives offset 0.
  const bytes = new Uint8Array(Buffer.allocUnsafeSlow(need).buffer, 0, need);
  const scanner = new VoxelScanner(bytes, dtypeFromCode(header.datatype)!, header.littleEndian, countNonFinite);
  // Read chunk i+1 while chunk i is byte-swapped and scanned.
  const readChunk = async (from: number) => {
    let done = from;
    const end = Math.min(need, from + READ_CHUNK);
    while (done < end) {
      const { bytesRead } = await fh.read(bytes, done, end - done, offset + done);
      if (bytesRead === 0) throw sizeProblem(header, done, file, false);
      done += bytesRead;
    }
    return end;
  };
  let pending = readChunk(0);
  for (;;) {
    const end = await pending;
    if (end < need) pending = readChunk(end);
    scanner.advance(end);
    if (end >= need) break;
  }
  return { header, bytes, nonFinite: scanner.count, compressed: false, trailingBytes: size - offset - need };
}

/**
 * Whether bytes [from, to) of a file hold anything but zeros. After its last member a gzip file may be padded
 * with zeros; anything else there is damage, which Python's gzip (and so nibabel) refuses.
 */
async function nonZeroBetween(file: string, from: number, to: number): Promise<boolean> {
  if (to <= from) return false;
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(READ_CHUNK, to - from));
    for (let pos = from; pos < to;) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, to - pos), pos);
      if (bytesRead === 0) return false;
      if (buf.subarray(0, bytesRead).some((b) => b !== 0)) return true;
      pos += bytesRead;
    }
    return false;
  } finally {
    await handle.close();
  }
}

function readGzip(file: string, compressedSize: number, headerOnly: boolean, countNonFinite: boolean): Promise<RawNifti> {
  return new Promise<RawNifti>((resolve, reject) => {
    const source = createReadStream(file, { highWaterMark: GZIP_CHUNK });
    const gunzip = createGunzip({ chunkSize: GZIP_CHUNK });
    let settled = false;
    const finish = (err: unknown, value?: RawNifti) => {
      if (settled) return;
      settled = true;
      source.destroy();
      gunzip.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    // Bytes before the voxels (header, extensions) are gathered here until the header is known.
    let head: Uint8Array = new Uint8Array(0);
    let header: NiftiHeader | undefined;
    let out: Uint8Array | undefined;
    let scanner: VoxelScanner | undefined;
    let offset = 0;
    let filled = 0;
    let seen = 0;
    let trailing = 0;

    const onChunk = (chunk: Buffer) => {
      let part: Uint8Array = chunk;
      if (!header) {
        const merged = new Uint8Array(head.length + part.length);
        merged.set(head);
        merged.set(part, head.length);
        head = merged;
        seen = head.length;
        if (head.length < 4) return;
        const sizeLe = new DataView(head.buffer).getInt32(0, true);
        const sizeBe = new DataView(head.buffer).getInt32(0, false);
        const v2 = sizeLe === NIFTI2_HEADER_BYTES || sizeBe === NIFTI2_HEADER_BYTES;
        if (head.length < (v2 ? NIFTI2_HEADER_BYTES : NIFTI1_HEADER_BYTES)) return;
        header = parseNiftiHeader(head, file);
        if (headerOnly) return finish(undefined, { header, bytes: undefined, nonFinite: NONE, compressed: true, trailingBytes: 0 });
        offset = dataOffset(header);
        const need = dataByteLength(header);
        if (!(offset + need <= compressedSize * GZIP_MAX_RATIO)) {
          throw niftiError(
            file,
            `dim [${headerShape(header).join(', ')}] declares ${need} bytes of voxel data, but a gzip file of ${compressedSize} bytes decompresses to at most ${compressedSize * GZIP_MAX_RATIO}`,
            'the header is corrupt (or the file is a gzip bomb); it was not decompressed.',
          );
        }
        checkAllocatable(header, need, file);
        out = new Uint8Array(Buffer.allocUnsafeSlow(need).buffer, 0, need);
        scanner = new VoxelScanner(out, dtypeFromCode(header.datatype)!, header.littleEndian, countNonFinite);
        part = head;
        seen = 0;
      }
      // `seen` counts decompressed bytes from the start of the file up to this part.
      const start = Math.max(0, offset - seen);
      seen += part.length;
      if (start >= part.length) return;
      const take = Math.min(part.length - start, out!.length - filled);
      out!.set(part.subarray(start, start + take), filled);
      filled += take;
      scanner!.advance(filled);
      trailing += part.length - start - take;
      if (trailing > MAX_TRAILING_BYTES) {
        throw niftiError(file, `the gzip stream goes on for more than ${MAX_TRAILING_BYTES} bytes after the ${out!.length} bytes of voxel data the header declares`, 'the header or the file is corrupt; it was not decompressed further.');
      }
    };

    gunzip.on('data', (chunk: Buffer) => {
      try {
        onChunk(chunk);
      } catch (err) {
        finish(err);
      }
    });
    gunzip.on('end', () => {
      if (!header) {
        if (head.length === 0) return finish(niftiError(file, 'the gzip stream is empty: it decompresses to 0 bytes'));
        try {
          parseNiftiHeader(head, file);
        } catch (err) {
          return finish(err);
        }
        return finish(niftiError(file, `the file is truncated: it decompresses to ${head.length} bytes, fewer than a NIfTI header`));
      }
      if (filled < out!.length) return finish(sizeProblem(header, filled, file, true));
      // zlib stops quietly at a zero byte after the last gzip member and ignores what follows.
      const consumed = gunzip.bytesWritten;
      void nonZeroBetween(file, consumed, compressedSize).then((junk) => finish(
        junk ? niftiError(file, `${compressedSize - consumed} bytes after the end of the gzip stream (at byte ${consumed}) are neither gzip data nor zero padding`, 'the file is damaged (or two files were joined); fetch it again.') : undefined,
        { header: header!, bytes: out, nonFinite: scanner!.count, compressed: true, trailingBytes: trailing },
      ), (err: unknown) => finish(niftiError(file, `cannot be read (${(err as Error).message})`, undefined, err)));
    });
    gunzip.on('error', (err: Error) => {
      const truncated = /unexpected end/i.test(err.message);
      finish(
        niftiError(
          file,
          truncated
            ? `the gzip stream is truncated (zlib: ${err.message}) after ${seen} decompressed bytes`
            : `the gzip data is corrupt (zlib: ${err.message})`,
          'the download or copy was probably interrupted; fetch the file again.',
          err,
        ),
      );
    });
    source.on('error', (err) => finish(niftiError(file, `cannot be read (${err.message})`, undefined, err)));
    source.pipe(gunzip);
  });
}
