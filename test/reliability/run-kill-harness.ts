// `npm run kill-harness -- [--kills N] [--seed S] [job...]`: the long run of the kill harness. Each job
// (preprocess, pretrain, finetune) is SIGKILLed N times (default 20) at seeded moments and resumed; the end state is
// compared with an uninterrupted run. Prints a table and writes test/reliability/results/kill-harness.json.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { finetuneJob, type JobReport, preprocessedStore, preprocessJob, pretrainJob, synthesize, synthesizeSegmentation } from './jobs.js';
import { repo } from './kill-harness.js';

const JOBS = ['preprocess', 'pretrain', 'finetune'] as const;
const { values, positionals } = parseArgs({
  options: { kills: { type: 'string', default: '20' }, seed: { type: 'string', default: '1' }, help: { type: 'boolean', short: 'h' } },
  allowPositionals: true,
});
if (values.help) {
  console.log(`usage: npm run kill-harness -- [--kills N] [--seed S] [${JOBS.join('|')} ...]`);
  process.exit(0);
}
const kills = Number(values.kills);
const seed = Number(values.seed);
if (!Number.isInteger(kills) || kills < 1) throw new Error(`--kills must be a positive integer, but got '${values.kills}'`);
const chosen = positionals.length ? positionals : [...JOBS];
for (const j of chosen) if (!(JOBS as readonly string[]).includes(j)) throw new Error(`unknown job '${j}'; jobs: ${JOBS.join(', ')}`);

const root = mkdtempSync(join(tmpdir(), 'om-kill-harness-'));
// Enough work that every kill lands mid-job: about two cases per kill, and two steps per kill.
const raw = await synthesize(root, Math.max(8, Math.ceil(kills / 2)), 40);
const reports: JobReport[] = [];
const started = Date.now();
for (const job of chosen) {
  console.log(`${job}: ${kills} kills (seed ${seed})…`);
  const r = job === 'preprocess'
    ? await preprocessJob(root, raw, { kills, seed, windowMs: [0, 300] })
    : job === 'pretrain'
      ? await pretrainJob(root, await preprocessedStore(root, raw), { kills, seed, windowMs: [0, 1200] },
        { epochs: 2, iterations: Math.max(8, kills), checkpointEvery: 2 })
      // About three steps per kill (a checkpoint every two, the kill up to 2.5 s after it), and two epochs
      // more, so that the kills land in every part of the run: preprocessing, steps, epoch ends, checkpoints.
      : await finetuneJob(root, await synthesizeSegmentation(root, 6), { kills, seed, windowMs: [0, 2500] },
        { epochs: Math.max(4, Math.ceil((3 * kills) / 6) + 2), iterations: 6, checkpointEvery: 2 });
  reports.push(r);
  console.log(`  ${r.kills} kills, exit ${r.exitCode}, ${r.differences.length ? `DIFFERS: ${r.differences.join(', ')}` : 'end state identical'}, redone per kill max ${Math.max(0, ...r.redone)} (bound ${r.redoBound})`);
}
const ok = reports.every((r) => r.exitCode === 0 && r.kills === kills && r.differences.length === 0 && r.redone.every((n) => n <= r.redoBound));
mkdirSync(join(repo, 'test', 'reliability', 'results'), { recursive: true });
writeFileSync(join(repo, 'test', 'reliability', 'results', 'kill-harness.json'), `${JSON.stringify({
  date: new Date().toISOString(), seed, kills, seconds: Math.round((Date.now() - started) / 1000), ok,
  jobs: reports.map(({ stderr: _stderr, ...r }) => r),
}, null, 2)}\n`);
console.log(ok ? 'kill harness: every job survived' : 'kill harness: FAILED');
process.exit(ok ? 0 : 1);
