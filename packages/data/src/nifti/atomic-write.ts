import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A temporary path next to `target` (same directory, so the final rename is atomic on one filesystem). */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes a file atomically: the content goes to a temporary file beside the target, is flushed to disk
 * (fsync), and is renamed over the target. Readers see the old file or the whole new one, never a part;
 * on failure the temporary file is removed and the target is untouched.
 * @param target final path
 * @param write produces the content into the temporary path it is given
 */
export async function writeAtomic(target: string, write: (tempPath: string) => Promise<void>): Promise<void> {
  const temp = tempPathFor(target);
  try {
    await write(temp);
    const fh = await open(temp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Writes bytes or text to `target` atomically (see {@link writeAtomic}). */
export async function writeFileAtomic(target: string, content: Uint8Array | string): Promise<void> {
  await writeAtomic(target, async (temp) => {
    const fh = await open(temp, 'w');
    try {
      await fh.writeFile(content);
    } finally {
      await fh.close();
    }
  });
}
