import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_LOCK_FILE } from '@openmind-ssl/core';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';

// Every subcommand, given a missing file, an unreadable file, a directory where a file is expected and a
// file where a directory is expected, must exit 2 with one line naming the path: no stack trace.
const work = mkdtempSync(join(tmpdir(), 'om-cli-errors-'));
const missing = join(work, 'missing.nii.gz');
const garbage = join(work, 'garbage.bin');
const folder = join(work, 'a-folder');
const plainFile = join(work, 'a-file');
const locked = join(work, 'locked.json');
writeFileSync(garbage, 'this is not a NIfTI, JSON, zip or pickle file\n');
writeFileSync(plainFile, 'x');
writeFileSync(locked, '{}');
chmodSync(locked, 0o000);
mkdirSync(folder);
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const code = await main(argv);
  return { code, err };
}

const cases: [string, string[], string][] = [
  ['data info: a missing file', ['data', 'info', missing], missing],
  ['data info: an unreadable file', ['data', 'info', garbage], garbage],
  ['data info: a directory for the file', ['data', 'info', folder], folder],
  ['data info: a file where a directory is expected', ['data', 'info', join(plainFile, 'x.nii')], plainFile],
  ['data index: a missing root', ['data', 'index', missing], missing],
  ['data index: a file for the root', ['data', 'index', plainFile], plainFile],
  ['data index: a directory for --out', ['data', 'index', folder, '--out', folder], folder],
  ['data synth: a file for --out', ['data', 'synth', '--out', plainFile], plainFile],
  ['preprocess: a missing input', ['preprocess', missing, '--out', join(work, 'pp1')], missing],
  ['preprocess: an unreadable input', ['preprocess', garbage, '--out', join(work, 'pp2')], garbage],
  ['preprocess: a file for --out', ['preprocess', folder, '--out', plainFile], plainFile],
  ['convert: a missing input', ['convert', missing, join(work, 'out.safetensors')], missing],
  ['convert: an unreadable input', ['convert', garbage, join(work, 'out.safetensors')], garbage],
  ['convert: a directory for the input', ['convert', folder, join(work, 'out.safetensors')], folder],
  ['pretrain: a missing --config', ['pretrain', '--config', missing, '--data', folder], missing],
  ['pretrain: an unreadable --config', ['pretrain', '--config', garbage, '--data', folder], garbage],
  ['pretrain: a directory for --config', ['pretrain', '--config', folder, '--data', folder], folder],
  ['pretrain: a missing --data', ['pretrain', '--data', missing, '--backend', 'onnxruntime', '--out', join(work, 'run1')], missing],
  ['pretrain: a file for --out', ['pretrain', '--data', folder, '--backend', 'onnxruntime', '--out', join(plainFile, 'run')], plainFile],
  ['demo: a file for --sample-data', ['demo', '--sample-data', plainFile, '--out', join(work, 'demo')], plainFile],
];

describe('openmind errors', () => {
  it.each(cases)('%s: exit 2 with one line naming the path', async (_what, argv, path) => {
    const { code, err } = await run(argv);
    expect(err, err).toContain(path);
    expect(err).not.toMatch(/\n\s+at /);
    expect(err.trim().split('\n').filter((l) => !l.startsWith('Hint:')).length, err).toBeLessThanOrEqual(2);
    expect(code, err).toBe(2);
  });

  it.skipIf(process.getuid?.() === 0)('a file without read permission: exit 2 naming it (skipped as root, who may read anything)', async () => {
    const { code, err } = await run(['pretrain', '--config', locked, '--data', folder]);
    expect(err).toContain(locked);
    expect(code).toBe(2);
  });

  it('adds the stack trace with --verbose, and still exits 2', async () => {
    const { code, err } = await run(['data', 'info', missing, '--verbose']);
    expect(code).toBe(2);
    expect(err).toMatch(/\n\s+at /);
    delete process.env['OPENMIND_DEBUG'];
  });

  it('pretrain on an --out another live run holds: exit 2 naming the folder and the process, its lock left alone', async () => {
    const out = mkdtempSync(join(work, 'locked-run-'));
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(join(out, RUN_LOCK_FILE), JSON.stringify({ pid: other.pid, host: hostname(), started: '2026-12-06T18:00:00Z' }));
      const { code, err } = await run(['pretrain', '--data', join(out, 'no-data-needed-yet'), '--out', out, '--backend', 'onnxruntime']);
      expect(code).toBe(2);
      expect(err).toContain(`--out: '${out}' is in use by another run (process ${other.pid} on ${hostname()}`);
      expect(err).not.toMatch(/\n\s+at /);
      expect(existsSync(join(out, RUN_LOCK_FILE))).toBe(true);
    } finally {
      other.kill();
    }
  });
});
