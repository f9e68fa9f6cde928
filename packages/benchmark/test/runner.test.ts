import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { aggregateResults } from '../src/aggregate.js';
import { jobStatuses, readFailed } from '../src/job-state.js';
import { type RunEvent, runBenchmark } from '../src/runner.js';
import { writeBenchmarkReport } from '../src/report/write-report.js';
import { parseShard, shardJobs } from '../src/shard.js';
import { expandJobs } from '../src/jobs.js';
import { pairedTTest } from '../src/statistics.js';
import { parseBenchmarkSpec } from '../src/validate-spec.js';
import { benchmarkPreset } from '../src/presets/index.js';

const here = dirname(fileURLToPath(import.meta.url));
/** A stand-in CLI that writes known numbers (test/fixtures/fake-openmind.mjs). */
const fake = [process.execPath, join(here, 'fixtures', 'fake-openmind.mjs')];

const spec = parseBenchmarkSpec({
  name: 'unit',
  pretrainData: { path: '/data/openmind' },
  pretrain: { epochs: 1, iterations: 1, batchSize: 2, patchSize: [16, 16, 16] },
  methods: [
    { method: 'mae', arch: 'resenc-tiny', schedules: ['warm-up'] },
    { method: 'models-genesis', arch: 'resenc-tiny', schedules: ['warm-up'] },
  ],
  scratch: [{ arch: 'resenc-tiny', schedule: 'default' }],
  downstream: [{ name: 'lesion', task: 'segmentation', data: { path: '/data/lesion' }, folds: [0, 1], epochs: 2 }],
  seeds: [0, 1],
}, 'unit spec');

function run(root: string, env: Record<string, string> = {}, extra: Partial<Parameters<typeof runBenchmark>[0]> = {}) {
  const events: RunEvent[] = [];
  const promise = runBenchmark({ root, spec, openmind: fake, env: { ...process.env, ...env }, pollMs: 20, onEvent: (e) => events.push(e), ...extra });
  return { events, promise };
}

describe('runBenchmark', () => {
  it('should report a failed job with its log, skip its dependants, finish the rest, and retry only those on a rerun', async () => {
    const root = mkdtempSync(join(tmpdir(), 'om-bench-run-'));
    const count = join(root, 'count.txt');
    const first = run(root, { FAKE_FAIL: 'pretrain-models-genesis', FAKE_COUNT: count });
    const summary = await first.promise;
    expect(summary.failed).toEqual(['pretrain-models-genesis-resenc-tiny']);
    expect(summary.skipped).toHaveLength(4);
    expect(summary.skipped.every((id) => id.startsWith('finetune-models-genesis-'))).toBe(true);
    expect(summary.done).toBe(15 - 1 - 4);
    const failed = readFailed(root, 'pretrain-models-genesis-resenc-tiny')!;
    expect(failed.exitCode).toBe(1);
    expect(failed.logTail).toContain('fake failure: the network diverged');
    expect(readFileSync(failed.log, 'utf8')).toContain('fake openmind pretrain --data');
    const statuses = jobStatuses(root, expandJobs(spec, root));
    expect([...statuses.values()].filter((s) => s === 'skipped')).toHaveLength(4);

    writeFileSync(count, '');
    const again = await run(root, { FAKE_COUNT: count }).promise;
    expect(again).toMatchObject({ done: 5, reused: 10, failed: [], skipped: [] });
    expect(readFileSync(count, 'utf8').trim().split('\n').map((l) => l.split('/jobs/')[1]!.split('/')[0]).sort()).toEqual([
      'finetune-models-genesis-resenc-tiny-lesion-warm-up-f0-s0', 'finetune-models-genesis-resenc-tiny-lesion-warm-up-f0-s1',
      'finetune-models-genesis-resenc-tiny-lesion-warm-up-f1-s0', 'finetune-models-genesis-resenc-tiny-lesion-warm-up-f1-s1',
      'pretrain-models-genesis-resenc-tiny',
    ]);
    expect(existsSync(join(root, 'jobs', 'pretrain-models-genesis-resenc-tiny', 'failed.json'))).toBe(false);
  });

  it('should run each job once when two runners share the folder (claim files)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'om-bench-claim-'));
    const count = join(root, 'count.txt');
    const [a, b] = await Promise.all([run(root, { FAKE_COUNT: count }).promise, run(root, { FAKE_COUNT: count }).promise]);
    expect(a.done + b.done).toBe(15);
    const outs = readFileSync(count, 'utf8').trim().split('\n');
    expect(outs).toHaveLength(15);
    expect(new Set(outs).size).toBe(15);
  });

  it('should refuse a folder that holds another benchmark', async () => {
    const root = mkdtempSync(join(tmpdir(), 'om-bench-other-'));
    await run(root).promise;
    const other = parseBenchmarkSpec({ ...spec, seeds: [7] }, 'other');
    await expect(runBenchmark({ root, spec: other, openmind: fake })).rejects.toThrow(/holds the benchmark 'unit' with other jobs/);
  });
});

describe('aggregateResults and the report', () => {
  it('should give mean ± sd over folds × seeds, ranks, and the paired difference to scratch', async () => {
    const root = mkdtempSync(join(tmpdir(), 'om-bench-agg-'));
    await run(root).promise;
    const res = aggregateResults(root, { spec, jobs: expandJobs(spec, root) });
    expect(res.rows.map((r) => r.key)).toEqual(['mae/resenc-tiny', 'models-genesis/resenc-tiny', 'scratch/resenc-tiny']);
    const [mae, , scratch] = res.rows;
    // fake-openmind: scratch 0.5 + 0.01·seed; pre-trained + 0.1 + 0.01·fold.
    expect(scratch!.cells['lesion']!.dice!.values).toEqual({ '0/0': 0.5, '0/1': 0.51, '1/0': 0.5, '1/1': 0.51 });
    expect(mae!.cells['lesion']!.dice!.mean).toBeCloseTo(0.61, 12);
    expect(mae!.cells['lesion']!.dice!.sd).toBeCloseTo(Math.sqrt(2e-4 / 3), 12);
    expect(res.rows.map((r) => r.ranks['lesion'])).toEqual([1.5, 1.5, 3]);
    const expected = pairedTTest([0.6, 0.61, 0.61, 0.62], [0.5, 0.51, 0.5, 0.51]);
    expect(mae!.vsScratch.dice!.meanDifference).toBeCloseTo(0.105, 12);
    expect(mae!.vsScratch.dice!.p).toBeCloseTo(expected.p, 12);
    expect(mae!.baseline).toBe('scratch/resenc-tiny');
    expect(res.curves['lesion']!['mae/resenc-tiny']!.map((p) => p.pseudoDice)).toEqual([expect.closeTo(0.305, 12), expect.closeTo(0.61, 12)]);

    const files = await writeBenchmarkReport(join(root, 'report'), res);
    const html = readFileSync(files.html, 'utf8');
    expect(html.indexOf('<table>')).toBeLessThan(html.indexOf('<svg'));
    expect(html.match(/<svg/g)).toHaveLength(3); // bars, heat map, curves
    expect(html).toContain('61.00 ± 0.82');
    const csv = readFileSync(files.csv, 'utf8').trim().split('\n');
    expect(csv).toHaveLength(1 + 3);
    expect(csv[1]).toMatch(/^mae\/resenc-tiny,resenc-tiny,mae,lesion,segmentation,dice,0\.61/);
    expect(readFileSync(files.markdown, 'utf8')).toContain('| mae/resenc-tiny | 61.00 ± 0.82 |');
    expect(JSON.parse(readFileSync(files.json, 'utf8')).rows).toHaveLength(3);
  });
});

describe('shardJobs', () => {
  it('should split the openmind preset into disjoint shards that cover every job, each with a fair part of every stage', () => {
    const jobs = expandJobs(benchmarkPreset('openmind'), '/b');
    for (const n of [1, 2, 3, 7]) {
      const parts = Array.from({ length: n }, (_, i) => shardJobs(jobs, { index: i, count: n }));
      const ids = parts.flatMap((p) => p.map((j) => j.id));
      expect(ids.sort()).toEqual(jobs.map((j) => j.id).sort());
      const pretrain = parts.map((p) => p.filter((j) => j.kind === 'pretrain').length);
      expect(Math.max(...pretrain) - Math.min(...pretrain)).toBeLessThanOrEqual(1);
    }
  });

  it('should parse i/n and name the option when it is wrong', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(() => parseShard('5/5')).toThrow(/--shard: expected i\/n with 0 ≤ i < n/);
    expect(() => parseShard('x')).toThrow(/--shard/);
  });
});
