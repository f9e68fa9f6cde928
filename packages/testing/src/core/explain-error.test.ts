import { describe, expect, it } from 'vitest';
import { explainError, OpenMindError } from '@openmind-ssl/core';

function errno(code: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: something, open '${path}'`), { code, ...(path ? { path } : {}) });
}

describe('explainError', () => {
  it('passes an OpenMindError through as a user error (exit 2)', () => {
    expect(explainError(new OpenMindError('--epochs: expected a non-negative integer'))).toEqual({ exitCode: 2, message: '--epochs: expected a non-negative integer' });
  });

  it('names the path of a missing, wrong-kind or forbidden file (exit 2)', () => {
    expect(explainError(errno('ENOENT', '/data/x.nii'))).toEqual({ exitCode: 2, message: "'/data/x.nii': no such file or directory" });
    expect(explainError(errno('EISDIR', '/data')).message).toBe("'/data': is a directory, but a file is expected");
    expect(explainError(errno('ENOTDIR', '/f/x')).message).toBe("'/f/x': is not a directory (a file is in the way)");
    expect(explainError(errno('EACCES', '/root/a')).exitCode).toBe(2);
  });

  it('says what to do for a full disk or exhausted memory (exit 1)', () => {
    expect(explainError(errno('ENOSPC', '/runs/a'))).toEqual({ exitCode: 1, message: "the disk is full: free some space and rerun (preprocessing and pre-training resume) ('/runs/a')" });
    expect(explainError(new RangeError('Array buffer allocation failed')).message).toMatch(/^out of memory: use a smaller --batch-size/);
  });

  it('calls anything else a bug, in one line without the stack, pointing at --verbose (exit 1)', () => {
    const e = explainError(new TypeError("Cannot read properties of undefined (reading 'shape')\nsecond line"));
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe("internal error (TypeError: Cannot read properties of undefined (reading 'shape')). This is a bug: rerun with --verbose (or OPENMIND_DEBUG=1) for the stack trace and report it.");
    expect(explainError('a string').exitCode).toBe(1);
  });
});
