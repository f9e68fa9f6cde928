import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireRunLock, RUN_LOCK_FILE } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';

const folder = () => mkdtempSync(join(tmpdir(), 'om-lock-'));
const lockOf = (pid: number, host = hostname()) => `${JSON.stringify({ pid, host, started: '2026-01-01T00:00:00.000Z' })}\n`;

describe('acquireRunLock', () => {
  it('should refuse a second claim while the first holds the folder, and allow it after release', () => {
    const dir = folder();
    const first = acquireRunLock(dir);
    expect(JSON.parse(readFileSync(join(dir, RUN_LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    expect(() => acquireRunLock(dir)).toThrow(new RegExp(`--out: '${dir}' is in use by another run \\(process ${process.pid} on `));
    first.release();
    expect(existsSync(join(dir, RUN_LOCK_FILE))).toBe(false);
    acquireRunLock(dir).release();
  });

  it('should refuse a folder held by another live process, naming it', () => {
    const dir = folder();
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, RUN_LOCK_FILE), lockOf(other.pid!));
      expect(() => acquireRunLock(dir, '--out')).toThrow(new RegExp(`in use by another run \\(process ${other.pid} on ${hostname()}`));
    } finally {
      other.kill();
    }
  });

  it('should take over the lock of a process that died without releasing it (SIGKILL)', () => {
    const dir = folder();
    const dead = spawnSync('true').pid!; // has exited by now
    writeFileSync(join(dir, RUN_LOCK_FILE), lockOf(dead));
    const lock = acquireRunLock(dir);
    expect(JSON.parse(readFileSync(join(dir, RUN_LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it("should refuse another host's lock, whose process cannot be checked, saying which file to delete", () => {
    const dir = folder();
    writeFileSync(join(dir, RUN_LOCK_FILE), lockOf(1, 'node-17.cluster'));
    expect(() => acquireRunLock(dir)).toThrow(/process 1 on node-17\.cluster.*delete .*\.openmind\.lock/);
  });

  it('should not remove a lock that another process took over after this one lost it', () => {
    const dir = folder();
    const lock = acquireRunLock(dir);
    writeFileSync(join(dir, RUN_LOCK_FILE), lockOf(999_999_999));
    lock.release();
    expect(existsSync(join(dir, RUN_LOCK_FILE))).toBe(true);
  });
});
