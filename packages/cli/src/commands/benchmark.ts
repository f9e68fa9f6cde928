import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDuration, OpenMindError } from '@openmind-ssl/core';
import {
  aggregateResults, BENCHMARK_PRESETS, type BenchmarkPlan, type BenchmarkSpec, benchmarkPreset, dryRunText, expandJobs, jobStatuses, logAge,
  parseShard, PLAN_FILE, type PresetName, readBenchmarkSpec, readFailed, type RunEvent, runBenchmark, tableText, writeBenchmarkReport,
} from '@openmind-ssl/benchmark';
import type { Command } from '../args.js';

const USAGE = `usage: openmind benchmark run <spec.json | toy | openmind> [--out <dir>] [--dry-run] [--shard i/n] [--poll <s>]
       openmind benchmark report <dir> [--out <dir>]
       openmind benchmark status <dir>

run      expands the spec into jobs (synthetic data → preprocessing → pre-training per method × architecture →
         fine-tuning per dataset, schedule, fold and seed → prediction and evaluation on the test set) and runs
         those not done yet, each as 'openmind' commands whose output goes to <dir>/jobs/<job>/job.log. A
         finished job is never redone; a killed job resumes from its latest checkpoint; a failed job is
         reported with its log and the jobs that need it are skipped while the rest continue.
         --shard i/n runs the i-th of n disjoint parts (0-based), for SLURM job arrays and Kubernetes
         Indexed Jobs on a shared folder; jobs are claimed with a lock file, so shards never run one twice.
         --dry-run prints every job, its dependencies, its commands and its cost, and runs nothing.
report   writes <dir>/report (or --out): results.json, results.csv, table.md and index.html (the table,
         bars per dataset with ±sd, a row × dataset heat map, fine-tuning curves), and prints the table.
status   lists every job of <dir> with its state, and the log tail of failed ones.

Presets: toy (synthetic data, CPU presets, 3 seeds; about half an hour on 2 cores) and openmind (the
paper's protocol; needs GPUs, OPENMIND_ROOT and OPENMIND_DOWNSTREAM).`;

function loadSpec(arg: string): { spec: BenchmarkSpec; source: string } {
  if (arg in BENCHMARK_PRESETS && !existsSync(arg)) return { spec: benchmarkPreset(arg as PresetName), source: `preset '${arg}'` };
  return { spec: readBenchmarkSpec(arg), source: arg };
}

function readPlan(dir: string): BenchmarkPlan {
  const file = join(dir, PLAN_FILE);
  if (!existsSync(file)) throw new OpenMindError(`benchmark: '${dir}' holds no benchmark (${PLAN_FILE} is missing); run 'openmind benchmark run <spec> --out ${dir}' first`);
  return JSON.parse(readFileSync(file, 'utf8')) as BenchmarkPlan;
}

/** The progress view: one line per event with the counts of the whole run. */
function progressView(): (e: RunEvent) => void {
  const n = { done: 0, failed: 0, skipped: 0 };
  let mine = 0;
  const counts = () => `[${n.done}/${mine} done${n.failed ? `, ${n.failed} failed` : ''}${n.skipped ? `, ${n.skipped} skipped` : ''}]`;
  return (e) => {
    const out = (s: string) => process.stderr.write(`${counts()} ${s}\n`);
    if (e.type === 'plan') {
      mine = e.mine;
      process.stderr.write(`benchmark: ${e.total} jobs${e.mine !== e.total ? `, ${e.mine} in this shard` : ''}; ${e.done} already done\n`);
    } else if (e.type === 'reused') {
      n.done++;
    } else if (e.type === 'start') out(`start  ${e.job.id}  (log: ${e.log})`);
    else if (e.type === 'done') {
      n.done++;
      out(`done   ${e.job.id}  ${formatDuration(e.seconds)}`);
    } else if (e.type === 'failed') {
      n.failed++;
      out(`FAILED ${e.job.id}: ${e.record.error}; log ${e.record.log}\n${e.record.logTail.split('\n').map((l) => `    | ${l}`).join('\n')}`);
    } else if (e.type === 'skipped') {
      n.skipped++;
      out(`skip   ${e.job.id}: needs ${e.because}, which did not finish`);
    } else if (e.type === 'waiting') out(`wait   ${e.job.id}: needs ${e.on.join(', ')} (another shard)`);
    else if (e.type === 'held') out(`wait   ${e.job.id}: another runner holds it (if that runner is gone, delete ${e.lock})`);
  };
}

async function runSub(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' }, 'dry-run': { type: 'boolean' }, shard: { type: 'string' }, poll: { type: 'string' } }, allowPositionals: true, strict: true });
  const arg = positionals[0];
  if (!arg) throw new OpenMindError(`benchmark run: give a spec file or a preset (${Object.keys(BENCHMARK_PRESETS).join(', ')})`);
  const { spec } = loadSpec(arg);
  const root = resolve(values.out ?? join('runs', `benchmark-${spec.name}`));
  if (values['dry-run']) {
    process.stdout.write(dryRunText(spec, expandJobs(spec, root)));
    return 0;
  }
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  const poll = values.poll === undefined ? 2 : Number(values.poll);
  if (!(poll > 0)) throw new OpenMindError(`--poll: expected seconds > 0, got '${values.poll}'`);
  const summary = await runBenchmark({
    root, spec, shard, pollMs: poll * 1000,
    // Jobs run this same CLI (same node flags, e.g. a TypeScript loader) as child processes.
    openmind: [process.execPath, ...process.execArgv, process.argv[1]!],
    onEvent: progressView(),
  });
  process.stderr.write(`benchmark: ${summary.done} run, ${summary.reused} already done, ${summary.failed.length} failed, ${summary.skipped.length} skipped → ${root}\n`);
  if (summary.failed.length) process.stderr.write(`failed: ${summary.failed.join(', ')} (see 'openmind benchmark status ${root}')\n`);
  if (!shard) process.stderr.write(`report: openmind benchmark report ${root}\n`);
  return summary.failed.length ? 1 : 0;
}

async function reportSub(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
  if (!positionals[0]) throw new OpenMindError('benchmark report: give the benchmark folder');
  const root = resolve(positionals[0]);
  const results = aggregateResults(root, readPlan(root));
  const files = await writeBenchmarkReport(resolve(values.out ?? join(root, 'report')), results);
  const t = tableText(results);
  const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${[line(t.header), ...t.rows.map(line)].join('\n')}\n`);
  process.stderr.write(`${results.jobs.done} of ${results.jobs.total} jobs finished; report: ${files.html} (also ${files.markdown}, ${files.csv}, ${files.json})\n`);
  return 0;
}

function statusSub(argv: string[]): number {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  if (!positionals[0]) throw new OpenMindError('benchmark status: give the benchmark folder');
  const root = resolve(positionals[0]);
  const plan = readPlan(root);
  const statuses = jobStatuses(root, plan.jobs);
  const width = Math.max(...plan.jobs.map((j) => j.id.length));
  for (const j of plan.jobs) {
    const s = statuses.get(j.id)!;
    const age = s === 'running' ? logAge(root, j.id) : undefined;
    process.stdout.write(`${s.padEnd(8)} ${j.id.padEnd(width)}${age !== undefined ? `  (log written ${formatDuration(age)} ago)` : ''}\n`);
    if (s === 'failed') {
      const f = readFailed(root, j.id);
      if (f) process.stdout.write(`         ${f.error}; log ${f.log}\n${f.logTail.split('\n').slice(-8).map((l) => `         | ${l}`).join('\n')}\n`);
    }
  }
  const count = (k: string) => [...statuses.values()].filter((s) => s === k).length;
  process.stdout.write(`${count('done')} done, ${count('running')} running, ${count('failed')} failed, ${count('skipped')} skipped, ${count('pending')} pending of ${plan.jobs.length}\n`);
  return count('failed') ? 1 : 0;
}

export const benchmarkCommand: Command = {
  name: 'benchmark',
  summary: 'Run the OpenMind benchmark (spec or preset: toy, openmind) as resumable, shardable jobs; report the table.',
  usage: 'benchmark <run|report|status> …',
  options: {},
  passThrough: true,
  async run(_values, argv) {
    const [sub, ...rest] = argv;
    if (!sub || sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${USAGE}\n`);
      return sub ? 0 : 2;
    }
    try {
      if (sub === 'run') return await runSub(rest);
      if (sub === 'report') return await reportSub(rest);
      if (sub === 'status') return statusSub(rest);
    } catch (e) {
      if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) throw new OpenMindError(`benchmark ${sub}: ${e.message}. See 'openmind benchmark --help'.`);
      throw e;
    }
    throw new OpenMindError(`benchmark: unknown subcommand '${sub}'; expected run, report or status`);
  },
};
