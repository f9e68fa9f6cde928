import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_LOCK_FILE } from '@openmind-ssl/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';

afterEach(() => vi.restoreAllMocks());

async function run(argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return { code: await main(argv), err };
}

describe('openmind pretrain on a folder another run is using', () => {
  it('should refuse with exit 2 naming the folder and the other process, and leave its lock alone', async () => {
    const out = mkdtempSync(join(tmpdir(), 'om-cli-lock-'));
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(join(out, RUN_LOCK_FILE), JSON.stringify({ pid: other.pid, host: hostname(), started: '2026-12-06T18:00:00Z' }));
      const r = await run(['pretrain', '--data', join(out, 'no-data-needed-yet'), '--out', out, '--backend', 'onnxruntime']);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--out: '${out}' is in use by another run (process ${other.pid} on ${hostname()}`);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(existsSync(join(out, RUN_LOCK_FILE))).toBe(true);
    } finally {
      other.kill();
    }
  });
});
