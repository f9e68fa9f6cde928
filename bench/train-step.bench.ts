// Training-step benchmark: one MAE step (forward, masked MSE, backward, clip, SGD update, loss read) of
// ResEnc presets on each available backend, beside the same network and step in PyTorch
// (bench/train_step_ref.py) in the same invocation; plus the data loader's throughput for the same batch,
// so the report shows whether loading or compute bounds a run.
//
//   npm run bench -- train-step
//   TRAIN_STEP_CASES=resenc-small npm run bench -- train-step      (only cases whose label contains it)
//   TRAIN_STEP_BACKENDS=onnxruntime npm run bench -- train-step    (only these backends)
//   TRAIN_STEP_STEPS=5 npm run bench -- train-step                 (timed steps after one warm-up, default 3)
//
// Every (backend, case) runs in its own process so its peak resident memory (VmHWM) is its own; PyTorch's
// figure is the same measure of its process. speedup = PyTorch step time / ours (above 1: faster).
import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const THREADS = 2;
const STEPS = Number(process.env.TRAIN_STEP_STEPS ?? 3);

interface Case { preset: string; size: number; batch: number }
const CASES: Case[] = [
  { preset: 'resenc-small', size: 64, batch: 2 },
  { preset: 'resenc-l', size: 64, batch: 2 },
];
const label = (c: Case) => `${c.preset} ${c.size}³ b${c.batch}`;

/** Backends measured, and cases each would take far too long on (with why). */
const BACKENDS: { name: string; tooSlow?: (c: Case) => string | undefined }[] = [
  { name: 'onnxruntime' },
  { name: 'webgpu', tooSlow: (c) => (c.preset === 'resenc-l' ? 'lavapipe (software Vulkan) would need tens of minutes per ResEnc-L step' : undefined) },
  { name: 'tfjs', tooSlow: () => 'the pure-JS CPU backend runs 3D convolutions at ~0.5 GFLOP/s: many minutes per step at 64³' },
];

interface Timing { best_ms: number; median_ms: number; peak_mb: number; compile_ms?: number; params?: number }

function vmHwmMb(): number {
  const m = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Child process: time STEPS steps (after one warm-up step) of MAE on one backend. */
async function child(backendName: string, c: Case): Promise<void> {
  const core = await import('@openmind/core');
  const { syntheticBatches } = await import('@openmind/testing');
  const { resencFactory } = await import('@openmind/arch-resenc');
  const { maeFactory } = await import('@openmind/ssl-mae');
  const plugin = (await import(`@openmind/backend-${backendName}`)).default as import('@openmind/core').OpenMindPlugin;
  const rt = core.createRuntime({ plugins: [plugin] });
  const backend = await rt.resolve(core.BackendId, backendName).create();
  core.setBackend(backend);
  const patch: [number, number, number] = [c.size, c.size, c.size];
  const method = maeFactory.create({ config: { blockSize: c.size >= 64 ? 16 : 8 }, architecture: resencFactory, preset: c.preset, inChannels: 1, patchSize: patch, rng: new core.Rng(0) });
  const recipe = method.recipe({ epochs: 1000, iterationsPerEpoch: 250 });
  const params = method.network.parameters();
  const batches = syntheticBatches(0, c.batch, patch).batches(0);
  const times: number[] = [];
  for (let s = 0; s <= STEPS; s++) {
    const batch = (await batches.next()).value!;
    const t0 = performance.now();
    const loss = core.tidy(() => {
      const l = method.loss(batch, new core.Rng([0, s]));
      l.backward();
      core.clipGradNorm(params, 12)?.dispose();
      recipe.optimizer.step();
      recipe.optimizer.zeroGrad();
      return l.detach();
    });
    await loss.item();
    loss.dispose();
    times.push(performance.now() - t0);
  }
  const timed = times.slice(1).sort((a, b) => a - b);
  const out: Timing = { best_ms: timed[0]!, median_ms: timed[Math.floor(timed.length / 2)]!, peak_mb: vmHwmMb(), compile_ms: times[0]! - timed[0]!, params: method.network.parameterCount() };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  await backend.close();
}

function lastJson(out: string): Timing | undefined {
  const line = out.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  return line ? (JSON.parse(line) as Timing) : undefined;
}

function runOurs(backend: string, c: Case): Timing | string {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', backend, JSON.stringify(c)], {
    encoding: 'utf8', maxBuffer: 1 << 26, timeout: 3_600_000,
  });
  return lastJson(r.stdout) ?? `failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`;
}

function runTorch(c: Case): Timing | string {
  const r = spawnSync('/usr/bin/python3', [join(here, 'train_step_ref.py'), c.preset, String(c.size), String(c.batch), String(STEPS), String(THREADS)], {
    encoding: 'utf8', timeout: 3_600_000,
  });
  return lastJson(r.stdout) ?? `PyTorch failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`;
}

/** Batches per second the patch loader delivers for the MAE pipeline at this batch and patch size. */
async function loaderThroughput(c: Case): Promise<{ workers: number; batches_per_s: number }[]> {
  const { generateSyntheticOpenMind, preprocessDataset, PatchLoader } = await import('@openmind/data');
  const { maeInitialPatchSize } = await import('@openmind/augment');
  const root = mkdtempSync(join(tmpdir(), 'om-bench-ts-'));
  await generateSyntheticOpenMind({ out: root, subjects: 3, seed: 1, sizeMm: Math.max(96, c.size + 16) });
  const store = (await preprocessDataset({ input: root, out: join(root, 'pp'), workers: 1 })).dataDir;
  const patch: [number, number, number] = [c.size, c.size, c.size];
  const rows = [];
  for (const workers of [1, 2]) {
    const loader = await PatchLoader.open({
      store, batchSize: c.batch, patchSize: maeInitialPatchSize(patch), finalPatchSize: patch, workers, seed: 3,
      augmentation: { module: '@openmind/augment', exportName: 'maeSpatialPipeline', args: [patch] },
    });
    await loader.next();
    const n = 12;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await loader.next();
    rows.push({ workers, batches_per_s: n / ((performance.now() - t0) / 1000) });
    await loader.close();
  }
  return rows;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}

async function main(): Promise<void> {
  const caseFilter = process.env.TRAIN_STEP_CASES;
  const backendFilter = process.env.TRAIN_STEP_BACKENDS?.split(',');
  const cases = CASES.filter((c) => !caseFilter || label(c).includes(caseFilter));
  const rows: Record<string, unknown>[] = [];
  const skipped: { backend: string; case: string; reason: string }[] = [];
  const loader: Record<string, unknown>[] = [];
  for (const c of cases) {
    process.stdout.write(`\n${label(c)}: PyTorch…`);
    const torch = runTorch(c);
    process.stdout.write(typeof torch === 'string' ? ` ${torch}\n` : ` ${(torch.median_ms / 1000).toFixed(2)} s/step\n`);
    for (const b of BACKENDS.filter((x) => !backendFilter || backendFilter.includes(x.name))) {
      const slow = b.tooSlow?.(c);
      if (slow) {
        skipped.push({ backend: b.name, case: label(c), reason: slow });
        continue;
      }
      process.stdout.write(`  ${b.name}…`);
      const ours = runOurs(b.name, c);
      if (typeof ours === 'string') {
        process.stdout.write(` ${ours}\n`);
        skipped.push({ backend: b.name, case: label(c), reason: ours });
        continue;
      }
      process.stdout.write(` ${(ours.median_ms / 1000).toFixed(2)} s/step\n`);
      if (typeof torch === 'string') continue;
      rows.push({
        backend: b.name, case: label(c), params: ours.params,
        ours_step_s: ours.median_ms / 1000, torch_step_s: torch.median_ms / 1000, speedup: torch.median_ms / ours.median_ms,
        ours_best_s: ours.best_ms / 1000, torch_best_s: torch.best_ms / 1000, ours_first_step_extra_s: (ours.compile_ms ?? 0) / 1000,
        ours_peak_mb: Math.round(ours.peak_mb), torch_peak_mb: Math.round(torch.peak_mb), memory_ratio: ours.peak_mb / torch.peak_mb,
      });
    }
    for (const l of await loaderThroughput(c)) loader.push({ case: label(c), ...l, seconds_per_batch: 1 / l.batches_per_s });
  }
  console.log('\n| backend | case | ours s/step | PyTorch s/step | speedup | ours MB | PyTorch MB |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.backend} | ${r.case} | ${(r.ours_step_s as number).toFixed(2)} | ${(r.torch_step_s as number).toFixed(2)} | ${(r.speedup as number).toFixed(2)} | ${r.ours_peak_mb} | ${r.torch_peak_mb} |`);
  }
  for (const s of skipped) console.log(`skipped ${s.backend} ${s.case}: ${s.reason}`);
  for (const l of loader) console.log(`loader ${l.case}, ${l.workers} worker(s): ${(l.batches_per_s as number).toFixed(2)} batches/s`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeAtomic(join(here, 'results', 'train-step.json'), `${JSON.stringify({
    benchmark: 'train-step', date: new Date().toISOString(), threads: THREADS, timed_steps: STEPS,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() }, rows, skipped, loader,
  }, null, 2)}\n`);
}

if (process.argv[2] === '--child') await child(process.argv[3]!, JSON.parse(process.argv[4]!) as Case);
else await main();
