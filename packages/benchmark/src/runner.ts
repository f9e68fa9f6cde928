import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquireRunLock, OpenMindError, RUN_LOCK_FILE, writeFileAtomic } from '@openmind-ssl/core';
import {
  CHILD_FILE, DONE_FILE, type DoneRecord, FAILED_FILE, type FailedRecord, jobStatuses, LOG_FILE, processAlive, readFailed, readJson,
} from './job-state.js';
import { type BenchmarkJob, expandJobs, jobDir, jobOut } from './jobs.js';
import { extractResult } from './results.js';
import { type Shard, shardJobs } from './shard.js';
import type { BenchmarkSpec } from './spec.js';

/** The plan a benchmark folder holds: the spec and its jobs, written by the first runner. */
export const PLAN_FILE = 'benchmark.json';

export interface BenchmarkPlan {
  spec: BenchmarkSpec;
  jobs: BenchmarkJob[];
}

/** What the runner reports as it goes (the CLI turns these into the progress view). */
export type RunEvent =
  | { type: 'plan'; total: number; mine: number; done: number }
  | { type: 'reused'; job: BenchmarkJob }
  | { type: 'start'; job: BenchmarkJob; log: string }
  | { type: 'done'; job: BenchmarkJob; seconds: number }
  | { type: 'failed'; job: BenchmarkJob; record: FailedRecord }
  | { type: 'skipped'; job: BenchmarkJob; because: string }
  | { type: 'waiting'; job: BenchmarkJob; on: string[] }
  /** Another runner holds the job's claim: this one leaves it and looks again later. */
  | { type: 'held'; job: BenchmarkJob; lock: string };

export interface RunOptions {
  /** The benchmark folder (shared between shards). */
  root: string;
  spec: BenchmarkSpec;
  /** How to start `openmind`: executable and leading arguments (e.g. node, its flags and the CLI's script). */
  openmind: readonly string[];
  shard?: Shard;
  env?: NodeJS.ProcessEnv;
  onEvent?: (e: RunEvent) => void;
  /** How often a shard looks again at jobs that wait on other shards (ms). */
  pollMs?: number;
}

export interface RunSummary {
  done: number;
  reused: number;
  failed: string[];
  skipped: string[];
}

/**
 * Writes (or checks) the folder's plan: a folder holds one benchmark, so a rerun or another shard must bring
 * the same jobs.
 * @throws OpenMindError when the folder holds another benchmark's plan.
 */
export async function preparePlan(root: string, spec: BenchmarkSpec): Promise<BenchmarkPlan> {
  const plan: BenchmarkPlan = { spec, jobs: expandJobs(spec, root) };
  mkdirSync(join(root, 'jobs'), { recursive: true });
  const file = join(root, PLAN_FILE);
  const old = readJson<BenchmarkPlan>(file);
  if (old) {
    const same = JSON.stringify(old.jobs) === JSON.stringify(plan.jobs);
    if (!same) {
      throw new OpenMindError(`--out: '${root}' holds the benchmark '${old.spec.name}' with other jobs (${file}); a folder holds one benchmark. Choose another --out, or delete the folder to start over.`);
    }
    return old;
  }
  await writeFileAtomic(file, `${JSON.stringify(plan, null, 1)}\n`);
  return plan;
}

/** `${VAR}` from the environment. @throws OpenMindError naming the variable and the job. */
function expandVariables(arg: string, env: NodeJS.ProcessEnv, job: string): string {
  return arg.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined || v === '') throw new OpenMindError(`job ${job}: the spec refers to \${${name}}, which is not set; export ${name}=<folder> first`);
    return v;
  });
}

/**
 * A dead runner's command may still run (a SIGKILL reaches the runner, not its child): stop it before the
 * job runs again, but only a process recorded for this job whose command line names the job's folder, since
 * a pid can be reused. Two records name it: the pid the runner wrote when it spawned the command, and the run
 * lock the command itself holds in the job's output folder (the one a rerun would be refused by).
 */
async function stopLeftoverChild(dir: string, out: string): Promise<void> {
  const records = [readJson<{ pid: number; host: string }>(join(dir, CHILD_FILE)), readJson<{ pid: number; host: string }>(join(out, RUN_LOCK_FILE))];
  for (const record of records) {
    if (!record || record.host !== hostname() || record.pid === process.pid || !processAlive(record.pid)) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes(dir)) continue;
    process.kill(record.pid, 'SIGKILL');
    for (let i = 0; i < 100 && processAlive(record.pid); i++) await new Promise((r) => setTimeout(r, 50));
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** The running child, so a signal to the runner reaches it too. */
let current: ReturnType<typeof spawn> | undefined;

function forwardSignals(): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((sig) => {
    const h = () => {
      current?.kill(sig);
      process.exit(sig === 'SIGINT' ? 130 : 143);
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return () => handlers.forEach(([sig, h]) => process.removeListener(sig, h));
}

/** Runs one command of a job with its output appended to the job's log; resolves to the exit status. */
function runCommand(o: RunOptions, job: BenchmarkJob, args: string[], log: string): Promise<{ code: number | null; signal: string | null }> {
  const dir = jobDir(o.root, job.id);
  const fd = openSync(log, 'a');
  return new Promise((resolve, reject) => {
    const child = spawn(o.openmind[0]!, [...o.openmind.slice(1), ...args], { stdio: ['ignore', fd, fd], env: o.env ?? process.env });
    current = child;
    // Recorded synchronously, before the runner can be killed: a record written later (on 'spawn') was
    // sometimes lost with the runner, and the orphan then held the job's lock against the rerun.
    if (child.pid !== undefined) {
      const record = join(dir, CHILD_FILE);
      writeFileSync(`${record}.tmp`, JSON.stringify({ pid: child.pid, host: hostname() }));
      renameSync(`${record}.tmp`, record);
    }
    child.once('error', (e) => {
      closeSync(fd);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      closeSync(fd);
      current = undefined;
      resolve({ code, signal });
    });
  });
}

/** Runs a claimed job: its commands in order, then done.json (with its numbers) or failed.json. */
async function runJob(o: RunOptions, job: BenchmarkJob): Promise<{ ok: true; seconds: number } | { ok: false; record: FailedRecord }> {
  const dir = jobDir(o.root, job.id);
  const log = join(dir, LOG_FILE);
  const env = o.env ?? process.env;
  const started = Date.now();
  const fail = async (command: string[], exitCode: number | null, signal: string | null, error: string) => {
    const record: FailedRecord = { id: job.id, finished: new Date().toISOString(), command, exitCode, signal, error, log, logTail: tail(log, 30) };
    await writeFileAtomic(join(dir, FAILED_FILE), `${JSON.stringify(record, null, 1)}\n`);
    return { ok: false as const, record };
  };
  for (const raw of job.commands) {
    let args: string[];
    try {
      args = raw.map((a) => expandVariables(a, env, job.id));
    } catch (e) {
      return fail(raw, null, null, (e as Error).message);
    }
    const r = await runCommand(o, job, args, log);
    if (r.code !== 0) return fail(args, r.code, r.signal, `openmind ${args[0]} ${r.signal ? `was killed by ${r.signal}` : `exited with ${r.code}`}`);
  }
  let result;
  try {
    result = extractResult(job, jobOut(o.root, job.id));
  } catch (e) {
    return fail(job.commands.at(-1) ?? [], 0, null, `results: ${(e as Error).message}`);
  }
  const seconds = (Date.now() - started) / 1000;
  const done: DoneRecord = { id: job.id, finished: new Date().toISOString(), seconds, result };
  await writeFileAtomic(join(dir, DONE_FILE), `${JSON.stringify(done, null, 1)}\n`);
  rmSync(join(dir, CHILD_FILE), { force: true });
  return { ok: true, seconds };
}

/** Tries to claim a job; undefined when another live runner holds it. */
function tryClaim(dir: string, id: string) {
  try {
    return acquireRunLock(dir, `job ${id}`);
  } catch (e) {
    if (e instanceof OpenMindError) return undefined;
    throw e;
  }
}

/**
 * Runs the jobs of a benchmark that are not done (all of them, or one shard's): each job is claimed with a
 * lock file in its folder, run as `openmind` child processes with their output in the job's log, and
 * finished by an atomic done.json — the only mark of a finished job, so a killed run leaves nothing that
 * looks done, and a rerun reuses every finished job (and the pre-training and fine-tuning commands resume
 * from their latest checkpoint). A failed job writes failed.json with its log's tail; the jobs that depend
 * on it are skipped and every other job continues. A rerun tries failed jobs again.
 */
export async function runBenchmark(o: RunOptions): Promise<RunSummary> {
  const plan = await preparePlan(o.root, o.spec);
  const mine = o.shard ? shardJobs(plan.jobs, o.shard) : plan.jobs;
  const byId = new Map(plan.jobs.map((j) => [j.id, j]));
  const emit = o.onEvent ?? (() => undefined);
  const statuses = jobStatuses(o.root, plan.jobs);
  emit({ type: 'plan', total: plan.jobs.length, mine: mine.length, done: mine.filter((j) => statuses.get(j.id) === 'done').length });
  const summary: RunSummary = { done: 0, reused: 0, failed: [], skipped: [] };
  /** Jobs this run has settled (done, failed, skipped or found done). */
  const settled = new Map<string, 'done' | 'failed' | 'skipped'>();
  const waitingReported = new Set<string>();
  const stopForwarding = forwardSignals();
  try {
    for (;;) {
      let ran = false;
      let open = 0;
      for (const job of mine) {
        if (settled.has(job.id)) continue;
        const dir = jobDir(o.root, job.id);
        if (existsSync(join(dir, DONE_FILE))) {
          settled.set(job.id, 'done');
          summary.reused++;
          emit({ type: 'reused', job });
          continue;
        }
        const status = jobStatuses(o.root, job.deps.map((d) => byId.get(d)!));
        // A dependency of this shard counts as failed only once this run has tried it; another shard's by its files.
        const blocked = job.deps.filter((d) => settled.get(d) === 'failed' || settled.get(d) === 'skipped'
          || (!mine.includes(byId.get(d)!) && (status.get(d) === 'failed' || status.get(d) === 'skipped')));
        if (blocked.length) {
          settled.set(job.id, 'skipped');
          summary.skipped.push(job.id);
          emit({ type: 'skipped', job, because: blocked.join(', ') });
          continue;
        }
        open++;
        const pending = job.deps.filter((d) => status.get(d) !== 'done');
        if (pending.length) {
          if (!waitingReported.has(job.id)) emit({ type: 'waiting', job, on: pending });
          waitingReported.add(job.id);
          continue;
        }
        mkdirSync(dir, { recursive: true });
        const lock = tryClaim(dir, job.id);
        if (!lock) {
          // Another runner has it; look again later.
          if (!waitingReported.has(job.id)) emit({ type: 'held', job, lock: join(dir, RUN_LOCK_FILE) });
          waitingReported.add(job.id);
          continue;
        }
        try {
          if (existsSync(join(dir, DONE_FILE))) continue; // finished between our look and our claim
          await stopLeftoverChild(dir, jobOut(o.root, job.id));
          rmSync(join(dir, FAILED_FILE), { force: true });
          emit({ type: 'start', job, log: join(dir, LOG_FILE) });
          const r = await runJob(o, job);
          if (r.ok) {
            settled.set(job.id, 'done');
            summary.done++;
            emit({ type: 'done', job, seconds: r.seconds });
          } else {
            settled.set(job.id, 'failed');
            summary.failed.push(job.id);
            emit({ type: 'failed', job, record: r.record });
          }
        } finally {
          lock.release();
        }
        ran = true;
        open--;
        break; // rescan from the top: a job just finished may unblock earlier ones
      }
      if (!ran && open === 0) break;
      if (!ran) await new Promise((r) => setTimeout(r, o.pollMs ?? 2000));
    }
  } finally {
    stopForwarding();
  }
  return summary;
}

/** A failed job's record, for `benchmark status`. */
export function failureOf(root: string, id: string): FailedRecord | undefined {
  return readFailed(root, id);
}

/** Seconds since a job's log was last written (the progress view shows it for running jobs). */
export function logAge(root: string, id: string): number | undefined {
  try {
    return (Date.now() - statSync(join(jobDir(root, id), LOG_FILE)).mtimeMs) / 1000;
  } catch {
    return undefined;
  }
}
