// The kill harness: runs a long `openmind` job, SIGKILLs it at seeded random moments, resumes it each time,
// and returns what happened, so a caller can compare the end state with an uninterrupted run.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Rng } from '@openmind-ssl/core';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(repo, 'packages', 'cli', 'src', 'bin', 'openmind.ts');

/** A job the harness can interrupt: how to start it and how to continue it in the same folder. */
export interface KillableJob {
  name: string;
  start: string[];
  resume: string[];
  /** A count that grows as the job works (steps logged, cases written): a kill waits for it to move. */
  progress: () => number;
  /** Called after each kill, before the resume, e.g. to record how far the job had got. */
  afterKill?: () => void;
}

export interface KillSchedule {
  /** Kills to deliver; the job is then run to its end. */
  kills: number;
  seed: number;
  /**
   * Each kill falls uniformly in [from, to] ms after the attempt's first progress: so every attempt gets
   * past its start-up, and the kill lands anywhere in the work that follows (mid-step, mid-write).
   */
  windowMs: [number, number];
}

export interface KillOutcome {
  kills: number;
  /** Attempts that ended on their own before their kill moment (the job finished). */
  finishedEarly: number;
  /** Kill moments drawn, ms after the attempt's first progress. */
  momentsMs: number[];
  exitCode: number | null;
  stderr: string;
}

interface Attempt { code: number | null; killed: boolean; stderr: string }

/**
 * Runs `openmind <args>` from source. With `killWhen`, kills its whole process group once `killWhen` resolves
 * (if it is still running).
 */
export function runOpenmind(args: string[], killWhen?: (running: () => boolean) => Promise<void>, env: Record<string, string> = {}): Promise<Attempt> {
  // A job given a write fault loads the injector first (fail-writes.ts).
  const inject = env['OPENMIND_FAIL_WRITES'] ? ['--import', join(repo, 'test', 'reliability', 'fail-writes.ts')] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', ...inject, bin, ...args], {
      cwd: repo, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    let killed = false;
    let exited = false;
    void killWhen?.(() => !exited).then(() => {
      if (exited) return;
      killed = true;
      // The group: worker threads die with the process, but a job may also have child processes.
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      exited = true;
      resolve({ code, killed: killed && code === null, stderr });
    });
  });
}

/** Starts the job, kills it `schedule.kills` times at seeded moments, resuming after each, then lets it finish. */
export async function runWithKills(job: KillableJob, schedule: KillSchedule): Promise<KillOutcome> {
  const rng = new Rng(schedule.seed);
  const [from, to] = schedule.windowMs;
  const outcome: KillOutcome = { kills: 0, finishedEarly: 0, momentsMs: [], exitCode: null, stderr: '' };
  let started = false;
  while (outcome.kills < schedule.kills) {
    const moment = Math.round(from + rng.uniform() * (to - from));
    const before = job.progress();
    const attempt = await runOpenmind(started ? job.resume : job.start, async (running) => {
      while (running() && job.progress() === before) await sleep(10);
      await sleep(moment);
    });
    started = true;
    if (!attempt.killed) {
      outcome.finishedEarly++;
      outcome.exitCode = attempt.code;
      outcome.stderr = attempt.stderr;
      return outcome;
    }
    outcome.kills++;
    outcome.momentsMs.push(moment);
    job.afterKill?.();
  }
  const last = await runOpenmind(job.resume);
  outcome.exitCode = last.code;
  outcome.stderr = last.stderr;
  return outcome;
}

/**
 * SHA-256 of every file under `dir` by relative path. Text files that name `dir` itself (nnssl's
 * pretrain_data.json holds absolute paths) are digested with it replaced by `<dir>`.
 */
export function treeDigest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (statSync(p).isDirectory()) { walk(p); continue; }
      let bytes: Buffer | string = readFileSync(p);
      if (/\.(json|jsonl|csv)$/.test(name)) bytes = bytes.toString('utf8').replaceAll(dir, '<dir>');
      out.set(rel, createHash('sha256').update(bytes).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** Paths whose digests differ between two trees, or that only one holds. */
export function treeDifferences(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}
