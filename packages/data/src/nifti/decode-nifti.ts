import { dtypeFromCode } from './dtypes.js';
import { imageFromRaw, type ReadNiftiOptions } from './image-from-raw.js';
import type { NiftiImage } from './nifti-image.js';
import { niftiError } from './nifti-error.js';
import { parseNiftiHeader } from './parse-header.js';
import { dataByteLength, dataOffset, sizeProblem } from './voxel-layout.js';
import { VoxelScanner } from './voxel-scanner.js';

/** A deflate stream inflates at most about 1032-fold (zlib's technical notes); more means a bomb or corruption. */
const GZIP_MAX_RATIO = 1032;

/** Whether bytes start with the gzip signature (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decodes an uncompressed `.nii` held in memory (a File's bytes in a browser, a fetched buffer) exactly as
 * `readNifti` reads a file: same header repairs, scaling, NaN/Inf policy and errors. No Node API is used.
 * @param name what error messages call the file
 * @throws OpenMindError naming `name` for a gzip stream (use {@link decodeNiftiAsync}), a file that is not
 *   NIfTI, a truncated file or (by default) NaN/Inf voxels.
 */
export function decodeNifti(bytes: Uint8Array, name: string, options: ReadNiftiOptions = {}): NiftiImage {
  if (isGzip(bytes)) throw niftiError(name, 'the file is gzip-compressed', 'decode it with decodeNiftiAsync, which inflates it first.');
  return decodePlain(bytes, name, false, options);
}

/**
 * Decodes a `.nii` or `.nii.gz` held in memory; a gzip stream is inflated with the platform's
 * `DecompressionStream('gzip')` (browsers, workers, Node ≥ 18), refusing more output than the input
 * can hold (a gzip bomb or a corrupt stream).
 * @throws OpenMindError naming `name`, as {@link decodeNifti}, and for a corrupt or truncated gzip stream.
 */
export async function decodeNiftiAsync(bytes: Uint8Array, name: string, options: ReadNiftiOptions = {}): Promise<NiftiImage> {
  if (bytes.length === 0) throw niftiError(name, 'the file is empty');
  if (!isGzip(bytes)) return decodePlain(bytes, name, false, options);
  return decodePlain(await gunzip(bytes, name), name, true, options);
}

async function gunzip(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  const limit = bytes.length * GZIP_MAX_RATIO;
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        await reader.cancel();
        throw niftiError(name, `the gzip stream inflates to more than ${limit} bytes, more than ${bytes.length} compressed bytes can hold`, 'the file is corrupt (or a gzip bomb); it was not decompressed further.');
      }
      chunks.push(value);
    }
  } catch (err) {
    if ((err as Error).message?.startsWith('NIfTI "')) throw err;
    throw niftiError(name, `the gzip data is corrupt or truncated (${(err as Error).message ?? String(err)})`, 'the download or copy was probably interrupted; fetch the file again.', err);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function decodePlain(bytes: Uint8Array, name: string, compressed: boolean, options: ReadNiftiOptions): NiftiImage {
  const header = parseNiftiHeader(bytes, name);
  const offset = dataOffset(header);
  const need = dataByteLength(header);
  if (!(bytes.length >= offset + need)) throw sizeProblem(header, bytes.length - offset, name, compressed);
  // A buffer of its own at offset 0, so typed views align and the caller's bytes are not swapped in place.
  const voxels = bytes.slice(offset, offset + need);
  const scanner = new VoxelScanner(voxels, dtypeFromCode(header.datatype)!, header.littleEndian, (options.nonFinite ?? 'error') !== 'allow');
  scanner.advance(need);
  return imageFromRaw({ header, bytes: voxels, nonFinite: scanner.count, compressed, trailingBytes: bytes.length - offset - need }, name, options);
}
