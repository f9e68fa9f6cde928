import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLockHeld } from '@openmind-ssl/core';
import { type BenchmarkJob, jobDir } from './jobs.js';
import type { JobResult } from './results.js';

/** Written atomically when every command of a job succeeded: its presence is what "done" means. */
export const DONE_FILE = 'done.json';
/** Written atomically when a command failed; removed when the job is tried again. */
export const FAILED_FILE = 'failed.json';
/** The running command's process, so a runner that takes over a dead runner's claim can stop it. */
export const CHILD_FILE = 'child.json';
/** Everything the job's commands printed. */
export const LOG_FILE = 'job.log';

export interface DoneRecord {
  id: string;
  finished: string;
  seconds: number;
  result: JobResult;
}

export interface FailedRecord {
  id: string;
  finished: string;
  command: string[];
  exitCode: number | null;
  signal: string | null;
  error: string;
  log: string;
  logTail: string;
}

export type JobStatus = 'done' | 'failed' | 'running' | 'skipped' | 'pending';

export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function readDone(root: string, id: string): DoneRecord | undefined {
  return readJson<DoneRecord>(join(jobDir(root, id), DONE_FILE));
}

export function readFailed(root: string, id: string): FailedRecord | undefined {
  return readJson<FailedRecord>(join(jobDir(root, id), FAILED_FILE));
}

/** Whether a process lives (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether some runner holds the job's claim (see runLockHeld: a live process here, or any of another host). */
export function claimed(root: string, id: string): boolean {
  return runLockHeld(jobDir(root, id));
}

/**
 * Every job's status from the files in the benchmark folder: done, failed, running (claimed), skipped (a
 * dependency failed or was skipped) or pending.
 */
export function jobStatuses(root: string, jobs: readonly BenchmarkJob[]): Map<string, JobStatus> {
  const status = new Map<string, JobStatus>();
  for (const j of jobs) {
    if (existsSync(join(jobDir(root, j.id), DONE_FILE))) status.set(j.id, 'done');
    else if (claimed(root, j.id)) status.set(j.id, 'running');
    else if (existsSync(join(jobDir(root, j.id), FAILED_FILE))) status.set(j.id, 'failed');
    else if (j.deps.some((d) => status.get(d) === 'failed' || status.get(d) === 'skipped')) status.set(j.id, 'skipped');
    else status.set(j.id, 'pending');
  }
  return status;
}
