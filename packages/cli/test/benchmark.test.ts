import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'src', 'bin', 'openmind.ts');
const node = [process.execPath, '--conditions=@openmind-ssl/source', '--import', 'tsx', bin] as const;
/** 8 real jobs: synthetic data, preprocessing, MAE on resenc-tiny (1 × 2 steps at 16³), scratch and MAE fine-tuning × 2 seeds. */
const micro = join(repo, 'packages', 'benchmark', 'test', 'fixtures', 'micro-spec.json');

function openmind(args: string[]) {
  // A hung runner must fail its test, not stall the whole suite (a synchronous spawn ignores test timeouts).
  const r = spawnSync(node[0], [...node.slice(1), ...args], { cwd: repo, encoding: 'utf8', timeout: 300_000, killSignal: 'SIGKILL' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `openmind` in the background, resolving with its exit code and stderr. */
function openmindAsync(args: string[]) {
  const child = spawn(node[0], [...node.slice(1), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.resume();
  const done = new Promise<{ code: number | null; err: string }>((resolve) => child.once('exit', (code) => resolve({ code, err })));
  return { child, done };
}

const doneJobs = (root: string) => (existsSync(join(root, 'jobs')) ? readdirSync(join(root, 'jobs')).filter((j) => existsSync(join(root, 'jobs', j, 'done.json'))) : []);

/** The numbers of the report: every row's values per dataset and metric, by fold/seed. */
function tableOf(root: string) {
  const r = openmind(['benchmark', 'report', root]);
  expect(r.code, r.err).toBe(0);
  const res = JSON.parse(readFileSync(join(root, 'report', 'results.json'), 'utf8')) as { rows: { key: string; cells: Record<string, Record<string, { values: Record<string, number> }>> }[] };
  return res.rows.map((row) => ({ key: row.key, cells: row.cells }));
}

describe('openmind benchmark', () => {
  it("should list the 'openmind' preset's jobs with the paper's hyper-parameters in --dry-run", () => {
    const r = openmind(['benchmark', 'run', 'openmind', '--dry-run', '--out', '/cluster/bench']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/benchmark 'openmind': 511 jobs/);
    expect(r.out).toContain('pretrain-mae-resenc-l  [pretrain]\n  needs: preprocess-pretrain\n  cost:  250,000 steps, 8.19Tvox');
    expect(r.out).toContain('openmind pretrain --data /cluster/bench/jobs/preprocess-pretrain/out --method mae --arch resenc-l --epochs 1000 --iterations 250 --batch-size 8 --patch-size 160,160,160');
    expect(r.out).toMatch(/finetune-mae-primus-m-acdc-warm-up-f4-s0 {2}\[finetune\]\n {2}needs: pretrain-mae-primus-m\n.*\n.*--schedule warm-up --fold 4 --seed 0 --epochs 150 --iterations 250 --val-iterations 50 --patch-size 160,160,160 --batch-size 2/);
  });

  it('should name the field of a bad spec and exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-bench-spec-'));
    const bad = join(dir, 'bad.json');
    const spec = JSON.parse(readFileSync(micro, 'utf8')) as { downstream: { epochs: unknown }[] };
    spec.downstream[0]!.epochs = 0;
    writeFileSync(bad, JSON.stringify(spec));
    const r = openmind(['benchmark', 'run', bad, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.json: invalid benchmark spec:\n {2}downstream\[0\]\.epochs: Too small/);
  });

  it('should finish after a SIGKILL without redoing finished jobs, and two parallel shards should give the same table as one process', async () => {
    const root = mkdtempSync(join(tmpdir(), 'om-bench-kill-'));
    const first = openmindAsync(['benchmark', 'run', micro, '--out', root, '--poll', '0.2']);
    // Kill the runner (only the runner: its running child is left over, as after a crash) once 4 jobs are done.
    while (doneJobs(root).length < 4) {
      if (first.child.exitCode !== null) throw new Error(`the run ended before it could be killed:\n${(await first.done).err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    first.child.kill('SIGKILL');
    await first.done;
    const finished = new Map(doneJobs(root).map((j) => [j, readFileSync(join(root, 'jobs', j, 'done.json'), 'utf8')]));
    expect(finished.size).toBeGreaterThanOrEqual(4);
    expect(finished.size).toBeLessThan(8);

    const again = openmind(['benchmark', 'run', micro, '--out', root, '--poll', '0.2']);
    expect(again.code, again.err).toBe(0);
    expect(again.err).toContain(`${finished.size} already done`);
    expect(doneJobs(root).length).toBe(8);
    for (const [job, text] of finished) {
      expect(again.err).not.toContain(`start  ${job} `);
      expect(readFileSync(join(root, 'jobs', job, 'done.json'), 'utf8')).toBe(text);
    }

    const sharded = mkdtempSync(join(tmpdir(), 'om-bench-shards-'));
    const shards = [0, 1].map((i) => openmindAsync(['benchmark', 'run', micro, '--out', sharded, '--shard', `${i}/2`, '--poll', '0.2']));
    const results = await Promise.all(shards.map((s) => s.done));
    for (const r of results) expect(r.code, r.err).toBe(0);
    // Dealt round-robin per dependency depth: shard 0 gets 5 jobs, shard 1 gets 3.
    expect(results[0]!.err).toMatch(/benchmark: 8 jobs, 5 in this shard/);
    expect(results[1]!.err).toMatch(/benchmark: 8 jobs, 3 in this shard/);
    // Every job ran in exactly one shard.
    const started = results.map((r) => [...r.err.matchAll(/start {2}(\S+)/g)].map((m) => m[1]));
    expect(started.flat().sort()).toEqual(readdirSync(join(sharded, 'jobs')).sort());
    expect(tableOf(sharded)).toEqual(tableOf(root));
  }, 600_000);
});
