import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see the old content or the whole new one, never a part: `write` fills a
 * temporary file beside the target (same directory, so the rename is atomic), which is fsynced and then
 * renamed over the target. On failure the temporary file is removed and the target is untouched.
 */
export async function writeAtomic(target: string, write: (tempPath: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
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

/** Atomic write of content produced in chunks (large files are never held whole in memory). */
export async function writeStreamAtomic(target: string, produce: (append: (chunk: Uint8Array) => Promise<void>) => Promise<void>): Promise<void> {
  await writeAtomic(target, async (temp) => {
    const fh = await open(temp, 'w');
    try {
      await produce(async (chunk) => {
        let off = 0;
        while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
      });
    } finally {
      await fh.close();
    }
  });
}

/** Atomic write of bytes or text. */
export async function writeFileAtomic(target: string, content: Uint8Array | string): Promise<void> {
  await writeStreamAtomic(target, (append) => append(typeof content === 'string' ? new TextEncoder().encode(content) : content));
}

/** Temporaries of writeAtomic (`.<name>.<pid>.<hex>.tmp`) and of checkpoint saves (`<name>.tmp-<pid>`). */
const TEMPORARY = /^(?:\..+\.(\d+)\.[0-9a-f]{8}\.tmp|.+\.tmp-(\d+))$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporaries a killed writer left in `dir` (not below it): those whose process no longer runs.
 * A job that resumes in a folder calls it, so a SIGKILL mid-write leaves nothing behind in the end state.
 * @returns the names removed
 */
export async function removeStaleTemporaries(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((n) => {
    const m = TEMPORARY.exec(n);
    const pid = m ? Number(m[1] ?? m[2]) : NaN;
    return Number.isInteger(pid) && pid !== process.pid && !processAlive(pid);
  });
  for (const n of stale) await rm(join(dir, n), { recursive: true, force: true });
  return stale;
}
