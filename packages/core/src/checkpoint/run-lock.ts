import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { OpenMindError } from '../errors/openmind-error.js';

/** The lock file a running job keeps in its output folder. */
export const RUN_LOCK_FILE = '.openmind.lock';

/** Who holds a run folder. */
interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

/** A held lock; `release` removes the file if it is still this process's. */
export interface RunLock {
  readonly path: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? { pid: o.pid, host: o.host, started: String(o.started ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Claims a job's output folder, so that two jobs started on the same folder do not interleave their
 * checkpoints and logs: the file is created exclusively (O_EXCL), holding this process's pid and host. A
 * lock left by a process that no longer runs on this host (a SIGKILL, a crash) is taken over; a lock of a
 * live process, or of another host (whose processes cannot be checked), refuses.
 * @throws OpenMindError naming the folder, the holder and what to do.
 */
export function acquireRunLock(dir: string, what = '--out'): RunLock {
  const path = join(dir, RUN_LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${JSON.stringify(me)}\n`);
      closeSync(fd);
      const onExit = () => release();
      const release = () => {
        process.removeListener('exit', onExit);
        if (readOwner(path)?.pid === me.pid) unlinkSync(path);
      };
      process.once('exit', onExit);
      return { path, release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(path);
    const stale = owner !== undefined && owner.host === me.host && owner.pid !== me.pid && !alive(owner.pid);
    if (!stale) {
      const who = owner ? `process ${owner.pid} on ${owner.host}, started ${owner.started}` : 'a process whose lock file cannot be read';
      throw new OpenMindError(
        `${what}: '${dir}' is in use by another run (${who}). Wait for it to finish or choose another ${what}; ` +
          `if that run is gone (e.g. on another machine), delete ${path}.`,
      );
    }
    unlinkSync(path); // the holder died without releasing: take the folder over
  }
  throw new OpenMindError(`${what}: could not claim '${dir}' (${path} keeps reappearing); is another run starting there?`);
}
