import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { writeAtomic } from '@openmind-ssl/core';
import { encodeNifti, type WriteNiftiOptions } from './encode-nifti.js';
import type { NiftiImage } from './nifti-image.js';

export { encodeNifti, type WriteNiftiOptions };

const WRITE_CHUNK = 1 << 22;

/**
 * Writes an image as `.nii` or `.nii.gz`, atomically (temporary file, fsync, rename): an interrupted write
 * never leaves a partial file at `file`. The sform holds the affine; the qform its rotation and zooms.
 * @throws RangeError for an inconsistent image; the error of the filesystem when writing fails
 */
export async function writeNifti(file: string, image: NiftiImage, options: WriteNiftiOptions = {}): Promise<void> {
  const parts = encodeNifti(image, options);
  const gzip = options.gzip ?? file.endsWith('.gz');
  await writeAtomic(file, async (temp) => {
    const chunks = (function* () {
      for (const part of parts) {
        // Chunked so a large volume streams through gzip without a second full-size copy.
        for (let o = 0; o < part.length; o += WRITE_CHUNK) yield part.subarray(o, Math.min(part.length, o + WRITE_CHUNK));
      }
    })();
    const source = Readable.from(chunks, { objectMode: false });
    const sink = createWriteStream(temp);
    if (gzip) await pipeline(source, createGzip({ level: options.compressionLevel ?? 6 }), sink);
    else await pipeline(source, sink);
  });
}

