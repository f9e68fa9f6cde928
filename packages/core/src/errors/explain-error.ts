import { OpenMindError } from './openmind-error.js';

/** An error as a command line reports it: one line to print, and the exit status. */
export interface ExplainedError {
  /** 2: the user's input (an option, a file) is wrong; 1: the run failed for another reason. */
  exitCode: 1 | 2;
  /** One line (an OpenMindError may add a `Hint:` line) that names the file or option and what to do. */
  message: string;
}

/** Node's errno errors that mean the user pointed at the wrong path (exit 2). */
const PATH_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory, but a file is expected',
  ENOTDIR: 'is not a directory (a file is in the way)',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
  EEXIST: 'already exists',
  ENOTEMPTY: 'the directory is not empty',
};

/** Errno errors of the machine rather than the input (exit 1), with what to do. */
const RUNTIME_PROBLEMS: Record<string, string> = {
  ENOSPC: 'the disk is full: free some space and rerun (preprocessing and pre-training resume)',
  EDQUOT: 'the disk quota is exceeded: free some space and rerun (preprocessing and pre-training resume)',
  EMFILE: 'too many open files: raise the limit (ulimit -n) or use fewer --workers',
  ENFILE: 'too many open files on this machine: close other programs or use fewer --workers',
  EIO: 'an input/output error from the disk: check the drive, then rerun',
};

function isErrno(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}

/**
 * Turns anything a command threw into one line and an exit status: an OpenMindError (bad input) and a
 * missing, unreadable or wrong-kind path are the user's to fix (exit 2, naming the path); a full disk,
 * exhausted memory or file handles are runtime failures (exit 1, saying what to do); anything else is a
 * bug (exit 1, pointing at --verbose for the stack trace). The stack itself is never part of `message`.
 */
export function explainError(err: unknown): ExplainedError {
  if (err instanceof OpenMindError) return { exitCode: 2, message: err.message };
  if (isErrno(err)) {
    const code = err.code!;
    const path = err.path ?? (err as { dest?: string }).dest;
    if (PATH_PROBLEMS[code]) return { exitCode: 2, message: path ? `'${path}': ${PATH_PROBLEMS[code]}` : `${PATH_PROBLEMS[code]} (${err.message})` };
    if (RUNTIME_PROBLEMS[code]) return { exitCode: 1, message: `${RUNTIME_PROBLEMS[code]}${path ? ` ('${path}')` : ''}` };
    if (code === 'ERR_MEMORY_ALLOCATION_FAILED') return { exitCode: 1, message: outOfMemory() };
  }
  if (err instanceof RangeError && /allocation failed|Array buffer|Invalid typed array length|Invalid array length/i.test(err.message)) {
    return { exitCode: 1, message: outOfMemory() };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const firstLine = e.message.split('\n')[0] ?? '';
  return { exitCode: 1, message: `internal error (${e.name}: ${firstLine}). This is a bug: rerun with --verbose (or OPENMIND_DEBUG=1) for the stack trace and report it.` };
}

function outOfMemory(): string {
  return 'out of memory: use a smaller --batch-size or --patch-size, fewer --workers, or a machine with more memory';
}

/** Whether the stack trace should be printed: `--verbose` was given or OPENMIND_DEBUG is set (not 0). */
export function debugRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env['OPENMIND_DEBUG'];
  return v !== undefined && v !== '' && v !== '0';
}
