// `npm run soak -- [--steps N] [--patch P] [--batch B] [--backend name ...]`: the soak run. N training steps
// (default 1000) of MAE on resenc-tiny (P³ patch, default 16, batch B, default 2) on each backend that starts
// here, each in its own process, sampling resident
// memory, live tensors, the backend's own handle count and open file descriptors every 25 steps. After the
// warm-up (the first 10 % of steps) all must stay flat: tensors, handles and descriptors exactly, the peak
// resident memory within RSS_BOUND_MB (see judge). Writes test/reliability/results/soak.json, keeping the
// results of backends not run this time (each result carries its own date, patch and batch).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repo } from './kill-harness.js';

const BACKENDS = ['onnxruntime', 'webgpu', 'tfjs'];
/** Resident memory may wander this much after warm-up (allocator pages, JIT code), but not grow with steps. */
const RSS_BOUND_MB = 24;
const EVERY = 25;

interface Sample { step: number; rssMb: number; tensors: number; handles: number; fds: number }
interface SoakResult { backend: string; date?: string; patch?: number; batch?: number; steps?: number; seconds?: number; samples?: Sample[]; skip?: string; growth?: Omit<Sample, 'step'>; flat?: boolean }

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
const openFds = () => readdirSync('/proc/self/fd').length;

async function child(backendName: string, steps: number, size: number, batchSize: number): Promise<void> {
  const core = await import('@openmind-ssl/core');
  const { syntheticBatches } = await import('@openmind-ssl/testing');
  const { resencFactory } = await import('@openmind-ssl/arch-resenc');
  const { maeFactory } = await import('@openmind-ssl/ssl-mae');
  const plugin = (await import(`@openmind-ssl/backend-${backendName}`)).default as import('@openmind-ssl/core').OpenMindPlugin;
  const rt = core.createRuntime({ plugins: [plugin] });
  let backend: import('@openmind-ssl/core').Backend;
  try {
    backend = await rt.resolve(core.BackendId, backendName).create({ explicit: true });
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ skip: `${backendName} does not start here: ${(e as Error).message.split('\n')[0]}` })}\n`);
    return;
  }
  core.setBackend(backend);
  const patch: [number, number, number] = [size, size, size];
  const method = core.createSslMethod(maeFactory, { config: { blockSize: 4 }, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: patch, rng: new core.Rng(0) });
  const recipe = method.recipe({ epochs: 1000, iterationsPerEpoch: 250 });
  const params = method.network.parameters();
  const batches = syntheticBatches(0, batchSize, patch).batches(0);
  const engine = core.getEngine();
  const samples: Sample[] = [];
  const started = Date.now();
  for (let s = 1; s <= steps; s++) {
    const batch = (await batches.next()).value!;
    await core.trainingStep(method, recipe, batch, new core.Rng([0, s]), params);
    if (s % EVERY === 0) samples.push({ step: s, rssMb: Math.round(rssMb() * 10) / 10, tensors: engine.liveTensors, handles: backend.memory().handles, fds: openFds() });
  }
  process.stdout.write(`${JSON.stringify({ steps, seconds: Math.round((Date.now() - started) / 1000), samples })}\n`);
  await backend.close();
}

/**
 * Flat means: live tensors, backend handles and descriptors never change after warm-up, and the peak resident
 * memory of the second half of the run exceeds the first half's by at most RSS_BOUND_MB (a leak raises the
 * peak step after step; the allocator's coming and going does not).
 */
function judge(r: SoakResult): SoakResult {
  const after = (r.samples ?? []).filter((s) => s.step > (r.steps ?? 0) / 10);
  const first = after[0];
  if (!first) return r;
  const half = Math.floor(after.length / 2);
  const peak = (xs: Sample[]) => Math.max(...xs.map((s) => s.rssMb));
  const spread = (f: (s: Sample) => number) => Math.max(...after.map(f)) - Math.min(...after.map(f));
  const growth = {
    rssMb: Math.round((peak(after.slice(half)) - peak(after.slice(0, half))) * 10) / 10,
    tensors: spread((s) => s.tensors), handles: spread((s) => s.handles), fds: spread((s) => s.fds),
  };
  return { ...r, growth, flat: growth.rssMb <= RSS_BOUND_MB && growth.tensors === 0 && growth.handles === 0 && growth.fds === 0 };
}

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '1000' }, patch: { type: 'string', default: '16' }, batch: { type: 'string', default: '2' },
    backend: { type: 'string', multiple: true }, child: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`usage: npm run soak -- [--steps N] [--patch P] [--batch B] [--backend ${BACKENDS.join('|')} ...]`);
  process.exit(0);
}
const steps = Number(values.steps);
if (!Number.isInteger(steps) || steps < 2 * EVERY) throw new Error(`--steps must be an integer of at least ${2 * EVERY}, but got '${values.steps}'`);
const size = Number(values.patch);
// resenc-tiny halves the patch three times; MAE masks blocks of 4 voxels.
if (!Number.isInteger(size) || size < 8 || size % 8 !== 0) throw new Error(`--patch must be a multiple of 8, but got '${values.patch}'`);
const batchSize = Number(values.batch);
if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`--batch must be a positive integer, but got '${values.batch}'`);
if (values.child) {
  await child(values.child, steps, size, batchSize);
} else {
  const results: SoakResult[] = [];
  for (const backend of values.backend ?? BACKENDS) {
    if (!BACKENDS.includes(backend)) throw new Error(`unknown backend '${backend}'; backends: ${BACKENDS.join(', ')}`);
    console.log(`${backend}: ${steps} steps…`);
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', backend, '--steps', String(steps), '--patch', String(size), '--batch', String(batchSize)], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 26 });
    const line = r.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
    const result = judge({ backend, date: new Date().toISOString(), patch: size, batch: batchSize, ...(line ? JSON.parse(line) : { skip: `failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}` }) });
    results.push(result);
    console.log(result.skip ? `  skipped: ${result.skip}` : `  ${result.seconds} s; growth after warm-up: ${JSON.stringify(result.growth)} → ${result.flat ? 'flat' : 'GROWS'}`);
  }
  const file = join(repo, 'test', 'reliability', 'results', 'soak.json');
  mkdirSync(join(repo, 'test', 'reliability', 'results'), { recursive: true });
  const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { date?: string; results: SoakResult[] }) : { results: [] };
  // Results of other backends stay; one written before results carried their own date gets the file's.
  const kept = earlier.results.filter((e) => !results.some((r) => r.backend === e.backend)).map((e) => ({ date: earlier.date, patch: 16, batch: 2, ...e }));
  const all = BACKENDS.flatMap((b) => [...results, ...kept].filter((r) => r.backend === b));
  writeFileSync(file, `${JSON.stringify({ rssBoundMb: RSS_BOUND_MB, everySteps: EVERY, results: all }, null, 2)}\n`);
  process.exit(results.every((r) => r.skip || r.flat) ? 0 : 1);
}
