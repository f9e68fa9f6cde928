import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

/**
 * Writes a file so that readers see the old content or the new, never a mix: the bytes go to a
 * temporary file beside it, which is fsynced and then renamed over the target.
 */
export async function writeFileAtomic(path: string, write: (append: (chunk: Uint8Array) => Promise<void>) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  const fh = await open(tmp, 'w');
  try {
    await write(async (chunk) => {
      let off = 0;
      while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
    });
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  await rename(tmp, path);
}

/** Atomic write of a text file. */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, (append) => append(new TextEncoder().encode(text)));
}
