import { closeSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
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

/** How old an unreadable lock must be before it counts as abandoned (a writer needs microseconds). */
const UNREADABLE_LOCK_GRACE_MS = 5_000;

/**
 * Creates the lock file with its content in one step, or reports that it exists. A hard link of a complete
 * temporary file is atomic: a kill at any moment leaves either no lock or a whole one. (Creating the file
 * with O_EXCL and then writing it left an empty lock when a SIGKILL fell between the two, and every later
 * run took that lock for a live one.) File systems without hard links fall back to O_EXCL.
 */
function createLockFile(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, content);
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * Whether a lock file's holder is gone: a process of this host that no longer runs, or a lock that cannot
 * be read (left half-written by an older version or a crash) and is older than a writer could need.
 */
function abandoned(path: string, owner: LockOwner | undefined, me: LockOwner): boolean {
  if (owner) return owner.host === me.host && owner.pid !== me.pid && !alive(owner.pid);
  try {
    return Date.now() - statSync(path).mtimeMs > UNREADABLE_LOCK_GRACE_MS;
  } catch {
    return true; // gone meanwhile
  }
}

/**
 * Whether someone holds a folder's lock: a live process here, or any process of another host (whose
 * processes cannot be checked). A missing or abandoned lock is not held.
 */
export function runLockHeld(dir: string): boolean {
  const path = join(dir, RUN_LOCK_FILE);
  // A missing file reads as no owner, and `abandoned` finds it gone.
  return !abandoned(path, readOwner(path), { pid: -1, host: hostname(), started: '' });
}

/**
 * Claims a job's output folder, so that two jobs started on the same folder do not interleave their
 * checkpoints and logs: the file is created atomically and exclusively, holding this process's pid and
 * host. A lock left by a process that no longer runs on this host (a SIGKILL, a crash) is taken over; a lock
 * of a live process, or of another host (whose processes cannot be checked), refuses.
 * @throws OpenMindError naming the folder, the holder and what to do.
 */
export function acquireRunLock(dir: string, what = '--out'): RunLock {
  const path = join(dir, RUN_LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    if (createLockFile(path, `${JSON.stringify(me)}\n`)) {
      const onExit = () => release();
      const release = () => {
        process.removeListener('exit', onExit);
        if (readOwner(path)?.pid === me.pid) unlinkSync(path);
      };
      process.once('exit', onExit);
      return { path, release };
    }
    const owner = readOwner(path);
    if (!abandoned(path, owner, me)) {
      const who = owner ? `process ${owner.pid} on ${owner.host}, started ${owner.started}` : 'a process whose lock file cannot be read';
      throw new OpenMindError(
        `${what}: '${dir}' is in use by another run (${who}). Wait for it to finish or choose another ${what}; ` +
          `if that run is gone (e.g. on another machine), delete ${path}.`,
      );
    }
    try {
      unlinkSync(path); // the holder died without releasing: take the folder over
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new OpenMindError(`${what}: could not claim '${dir}' (${path} keeps reappearing); is another run starting there?`);
}
