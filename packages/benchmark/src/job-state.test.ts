import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_LOCK_FILE } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { jobStatuses } from './job-state.js';
import { type BenchmarkJob, jobDir } from './jobs.js';

const job = (id: string, deps: string[] = []) => ({ id, deps }) as unknown as BenchmarkJob;

describe('jobStatuses', () => {
  it('should count a job whose claim a kill left unreadable as pending once the claim is stale, not as running forever', () => {
    const root = mkdtempSync(join(tmpdir(), 'om-job-state-'));
    const dir = jobDir(root, 'finetune-a');
    mkdirSync(dir, { recursive: true });
    const lock = join(dir, RUN_LOCK_FILE);
    writeFileSync(lock, '');
    const jobs = [job('finetune-a'), job('evaluate-a', ['finetune-a'])];
    expect(jobStatuses(root, jobs).get('finetune-a')).toBe('running');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect([...jobStatuses(root, jobs)]).toEqual([['finetune-a', 'pending'], ['evaluate-a', 'pending']]);
  });
});
