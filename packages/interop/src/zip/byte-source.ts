import { open, type FileHandle } from 'node:fs/promises';
import { OpenMindError } from '@openmind-ssl/core';

/**
 * Random access to the bytes of a file or buffer. Checkpoints can be gigabytes, so readers fetch only
 * the ranges they need (central directory, pickle, one storage at a time).
 */
export interface ByteSource {
  /** Names the file in error messages. */
  readonly name: string;
  readonly size: number;
  /** Exactly `length` bytes from `offset`. @throws OpenMindError when the range passes the end. */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A source over bytes already in memory. */
export function memorySource(bytes: Uint8Array, name = '<memory>'): ByteSource {
  return {
    name,
    size: bytes.length,
    async read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > bytes.length) {
        throw new OpenMindError(`${name}: truncated file (needs bytes ${offset}–${offset + length}, file has ${bytes.length}).`);
      }
      return bytes.subarray(offset, offset + length);
    },
    async close() {},
  };
}

/**
 * A source over a file, read with positioned reads.
 * @throws OpenMindError when the file cannot be opened.
 */
export async function fileSource(path: string): Promise<ByteSource> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new OpenMindError(`${path}: cannot open (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  const size = (await fh.stat()).size;
  return {
    name: path,
    size,
    async read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > size) {
        throw new OpenMindError(`${path}: truncated file (needs bytes ${offset}–${offset + length}, file has ${size}).`);
      }
      const buf = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
        if (bytesRead === 0) throw new OpenMindError(`${path}: file shrank while reading (at byte ${offset + done}).`);
        done += bytesRead;
      }
      return buf;
    },
    close: () => fh.close(),
  };
}
