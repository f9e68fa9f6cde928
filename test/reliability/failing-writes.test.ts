// A write that fails (disk full, permission denied) mid-checkpoint must stop pre-training with a one-line
// error saying what to do, leave the previous checkpoint loadable and no half-written file behind, and the
// run must then resume to the same end as a run that never failed.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint } from '@openmind-ssl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runOpenmind, treeDigest } from './kill-harness.js';
import { pretrainArgs, synthesize } from './jobs.js';

const steps = { epochs: 1, iterations: 6, checkpointEvery: 2 };
let root = '';
let store = '';
let reference = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'om-fail-writes-'));
  const raw = await synthesize(root, 3, 32);
  const pre = await runOpenmind(['preprocess', raw, '--out', join(root, 'pre'), '--workers', '1']);
  expect(pre.code, pre.stderr).toBe(0);
  store = join(root, 'pre', 'nnsslPlans_onemmiso');
  reference = join(root, 'reference');
  const r = await runOpenmind(pretrainArgs(store, reference, steps));
  expect(r.code, r.stderr).toBe(0);
}, 600_000);

/** Every file or folder below `dir` whose name marks it as a temporary of an atomic write. */
const temporaries = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tmp(-\d+)?$/.test(f));

describe.each([
  // A full disk is the machine's problem (exit 1); a folder the user cannot write to is theirs to fix (exit 2).
  { code: 'ENOSPC', afterBytes: 4096, says: /disk is full/, exit: 1 },
  { code: 'EACCES', afterBytes: 0, says: /permission denied/, exit: 2 },
])('a checkpoint write failing with $code', ({ code, afterBytes, says, exit }) => {
  it('should stop with a one-line error, keep the previous checkpoint loadable, and resume to the uninterrupted end', async () => {
    const run = join(root, `run-${code}`);
    const fault = JSON.stringify({ code, match: 'step-00000004', afterBytes });
    const failed = await runOpenmind(pretrainArgs(store, run, steps), undefined, { OPENMIND_FAIL_WRITES: fault });
    expect(failed.code, failed.stderr).toBe(exit);
    const lastLine = failed.stderr.trim().split('\n').at(-1) ?? '';
    expect(lastLine).toMatch(says);
    expect(lastLine).toContain('step-00000004');
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    // The failed checkpoint never appears (a half-written one would be picked up by --resume).
    expect(existsSync(join(run, 'checkpoints', 'step-00000004'))).toBe(false);
    expect(temporaries(run)).toEqual([]);
    const previous = await readCheckpoint(join(run, 'checkpoints', 'step-00000002'));
    expect(previous.state.step).toBe(2);

    const resumed = await runOpenmind([...pretrainArgs(store, run, steps), '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const final = (dir: string) => treeDigest(join(dir, 'checkpoints', 'step-00000006'));
    expect(final(run)).toEqual(final(reference));
  }, 600_000);
});
