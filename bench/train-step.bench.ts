// Training-step benchmark: one MAE step (forward, masked MSE, backward, clip, optimizer update, loss read)
// of ResEnc presets (SGD, voxel masks) and Primus presets (AdamW, tokens dropped inside the network) on
// each available backend, beside the same network and step in PyTorch (bench/train_step_ref.py,
// bench/train_step_primus_ref.py) in the same invocation; plus the data loader's throughput for the same batch,
// so the report shows whether loading or compute bounds a run.
//
//   npm run bench -- train-step
//   TRAIN_STEP_CASES=resenc-small npm run bench -- train-step      (only cases whose label contains it: resenc, primus-tiny, …)
//   TRAIN_STEP_BACKENDS=onnxruntime npm run bench -- train-step    (only these backends)
//   TRAIN_STEP_STEPS=5 npm run bench -- train-step                 (timed steps after two warm-up steps, default 3)
//   TRAIN_STEP_ROUNDS=3 npm run bench -- train-step                (alternating PyTorch/ours rounds, default 2)
//   TRAIN_STEP_PROFILE=0 npm run bench -- train-step               (skip the per-op profiles, default on)
//   TRAIN_STEP_ORT_OPTIONS='{"memoryArena":false}' npm run bench -- train-step   (OnnxRuntimeBackend options)
//
// Rows of the other pre-training methods and of segmentation fine-tuning come from bench/train-step/method-rows.ts
// (one file per method beside its PyTorch reference bench/train_step_<name>_ref.py); their labels start with
// the method's name, and a filter chooses them only by that name (TRAIN_STEP_CASES=simclr). A run that measures only some cases updates those rows of
// bench/results/train-step.json and keeps the others; each row records its date, rounds and load.
//
// Every (backend, case, round) runs in its own process so its peak resident memory (VmHWM) is its own;
// PyTorch's figure is the same measure of its process. The machine is shared, so PyTorch and ours run in
// alternating rounds and each side keeps its best round (the lowest median step time): load that comes
// and goes then hits both alike. speedup = PyTorch step time / ours (above 1: faster).
//
// Warm-up is two steps on both sides: a graph backend compiles the first step, and the second again,
// since the optimizer's momentum appears there. The per-op profile is a separate run of each side
// (ORT's own profiler; torch.autograd.profiler) so that profiling never slows the timed steps.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TorchBuild } from './fair-reference.js';
import { profiledSessionEvents } from './ort-profile.js';
import { METHOD_ROWS, methodRow } from './train-step/method-rows.js';
import { writeResult } from './write-result.js';

const here = dirname(fileURLToPath(import.meta.url));
const THREADS = 2;
const WARMUP = 2;
const STEPS = Number(process.env.TRAIN_STEP_STEPS ?? 3);
const ROUNDS = Number(process.env.TRAIN_STEP_ROUNDS ?? 2);
const PROFILE = process.env.TRAIN_STEP_PROFILE !== '0';
/** Issue #25's targets: at least PyTorch's speed at no more than 1.2× its peak memory. */
const TARGET = 1.0;
const MEMORY_TARGET = 1.2;

/**
 * updateChunkMb: how the optimizer update is evaluated (TrainingStepOptions.updateChunkBytes): chunks of that
 *   many MB, or 'off' for the step's one graph; absent: the default, 'auto' (Primus-M: chunks).
 * method: a row of bench/train-step/method-rows.ts instead of MAE.
 */
interface Case { preset: string; size: number; batch: number; updateChunkMb?: number | 'off'; method?: string }
const CASES: Case[] = [
  { preset: 'resenc-small', size: 64, batch: 2 },
  { preset: 'resenc-l', size: 64, batch: 2 },
  { preset: 'primus-tiny', size: 64, batch: 2 },
  { preset: 'primus-m', size: 64, batch: 2 },
  { preset: 'primus-m', size: 64, batch: 2, updateChunkMb: 'off' },
  ...METHOD_ROWS.map((r) => ({ preset: r.preset, size: r.size, batch: r.batch, method: r.name })),
];
const label = (c: Case) => `${c.method ? `${c.method} ` : ''}${c.preset} ${c.size}³ b${c.batch}${c.updateChunkMb === 'off' ? ', update in the step\'s graph' : c.updateChunkMb ? `, update in ${c.updateChunkMb} MB chunks` : ''}`;
const isPrimus = (c: Case) => c.preset.startsWith('primus');

/** Backends measured, and cases each would take far too long on (with why). */
const BACKENDS: { name: string; tooSlow?: (c: Case) => string | undefined }[] = [
  { name: 'onnxruntime' },
  { name: 'webgpu', tooSlow: (c) => (c.preset === 'resenc-l' || c.preset === 'primus-m' ? `lavapipe (software Vulkan) would need tens of minutes per ${c.preset} step` : undefined) },
  { name: 'tfjs', tooSlow: () => 'the pure-JS CPU backend runs 3D convolutions at ~0.5 GFLOP/s: many minutes per step at 64³' },
];

interface Timing {
  best_ms: number; median_ms: number; peak_mb: number; compile_ms?: number; params?: number;
  /** Median CPU time of a timed step (all threads), ms: steadier than wall time on a shared machine. */
  cpu_ms?: number;
  /** VmRSS after each timed step (flat when the step holds memory flat). */
  rss_mb?: number[];
  skip?: string;
  /** What the PyTorch reference ran on (bench/torch_build.py); absent on our side. */
  torch_build?: TorchBuild;
}
interface OpTime { name: string; ms: number; share: number; calls?: number }
interface Profile { step_ms: number; kernels: OpTime[]; ops: OpTime[] }

function procStatus(field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Child process: time STEPS steps (after WARMUP steps) of MAE on one backend; or profile one step. */
async function child(backendName: string, c: Case, profileDir?: string): Promise<void> {
  const core = await import('@openmind-ssl/core');
  const { syntheticBatches } = await import('@openmind-ssl/testing');
  const { resencFactory } = await import('@openmind-ssl/arch-resenc');
  const { primusFactory } = await import('@openmind-ssl/arch-primus');
  const { maeFactory } = await import('@openmind-ssl/ssl-mae');
  let backend: import('@openmind-ssl/core').Backend;
  const ortOptions = JSON.parse(process.env.TRAIN_STEP_ORT_OPTIONS ?? '{}') as Record<string, unknown>;
  if (backendName === 'onnxruntime' && (profileDir !== undefined || Object.keys(ortOptions).length > 0)) {
    // The plugin's own defaults with the options given, plus ORT's per-node profiler when profiling.
    const { OnnxRuntimeBackend } = await import('@openmind-ssl/backend-onnxruntime');
    backend = new OnnxRuntimeBackend({ ...ortOptions, ...(profileDir !== undefined ? { profileFilePrefix: join(profileDir, 'ort') } : {}) });
    await backend.init();
  } else {
    const plugin = (await import(`@openmind-ssl/backend-${backendName}`)).default as import('@openmind-ssl/core').OpenMindPlugin;
    const rt = core.createRuntime({ plugins: [plugin] });
    backend = await rt.resolve(core.BackendId, backendName).create({ explicit: true });
    if (backendName !== 'onnxruntime' && backend.capabilities.device === 'cpu') {
      await backend.close();
      process.stdout.write(`${JSON.stringify({ skip: `${backendName} runs on a software adapter here (conv3d at 1–3 GFLOP/s, bench/results/conv3d.json): tens of minutes per step` })}\n`);
      return;
    }
  }
  core.setBackend(backend);
  const patch: [number, number, number] = [c.size, c.size, c.size];
  const step = c.method ? await methodRow(c.method).setup(c) : undefined;
  // Primus: nnssl's EvaMAE recipe, without stochastic depth, which the PyTorch reference does not have.
  const [architecture, config] = isPrimus(c) ? [primusFactory, { dropPathRate: 0 }] : [resencFactory, { blockSize: c.size >= 64 ? 16 : 8 }];
  const mae = step ? undefined : core.createSslMethod(maeFactory, { config, architecture, preset: c.preset, inChannels: 1, patchSize: patch, rng: new core.Rng(0) });
  const method = (step?.method ?? mae!) as import('@openmind-ssl/core').SSLMethod;
  const recipe = step?.recipe ?? mae!.recipe({ epochs: 1000, iterationsPerEpoch: 250 });
  const params = step?.params ?? mae!.network.parameters();
  const batches = syntheticBatches(0, c.batch, patch).batches(0);
  const steps = profileDir !== undefined ? 1 : STEPS;
  const times: number[] = [];
  const cpu: number[] = [];
  const rss: number[] = [];
  for (let s = 0; s < WARMUP + steps; s++) {
    const batch = step ? step.batch(s) : (await batches.next()).value!;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    // The Trainer's step: forward/backward, clip, chunked update (kept only for a finite loss), loss read.
    await core.trainingStep(method, recipe, batch, new core.Rng([0, s]), params, c.updateChunkMb === undefined ? {} : { updateChunkBytes: c.updateChunkMb === 'off' ? 'off' : c.updateChunkMb * 2 ** 20 });
    times.push(performance.now() - t0);
    const used = process.cpuUsage(c0);
    if (s >= WARMUP) {
      cpu.push((used.user + used.system) / 1000);
      rss.push(Math.round(procStatus('VmRSS')));
    }
  }
  if (profileDir !== undefined) {
    const { summarizeProfile } = await import('@openmind-ssl/backend-onnxruntime');
    await (backend as InstanceType<typeof import('@openmind-ssl/backend-onnxruntime').OnnxRuntimeBackend>).endProfiling();
    await backend.close();
    const sum = summarizeProfile(profiledSessionEvents(profileDir));
    const out: Profile = {
      step_ms: times.at(-1)!,
      kernels: (sum?.byKernel ?? []).slice(0, 12).map((r) => ({ name: r.kernel, ms: r.ms, share: r.share, calls: r.nodes })),
      ops: (sum?.byOp ?? []).slice(0, 20).map((r) => ({ name: `${r.kernel}/${r.opType}`, ms: r.ms, share: r.share, calls: r.nodes })),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const timed = times.slice(WARMUP).sort((a, b) => a - b);
  const out: Timing = {
    best_ms: timed[0]!, median_ms: timed[Math.floor(timed.length / 2)]!, peak_mb: procStatus('VmHWM'),
    compile_ms: times[0]! - timed[0]!, params: step?.parameterCount ?? mae!.network.parameterCount(), rss_mb: rss,
    cpu_ms: [...cpu].sort((a, b) => a - b)[Math.floor(cpu.length / 2)]!,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  await backend.close();
}

function lastJson<T>(out: string): T | undefined {
  const line = out.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  return line ? (JSON.parse(line) as T) : undefined;
}

function runOurs(backend: string, c: Case, profileDir?: string): Timing | Profile | string {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--child', backend, JSON.stringify(c), ...(profileDir ? [profileDir] : [])];
  // Our side runs the backend's defaults at PyTorch's thread count (OMP_NUM_THREADS is the onnxruntime backend's default).
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 3_600_000, env: { ...process.env, OMP_NUM_THREADS: String(THREADS) } });
  return lastJson<Timing | Profile>(r.stdout) ?? `failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`;
}

function runTorch(c: Case, profile = false): Timing | Profile | string {
  const script = c.method ? methodRow(c.method).reference : isPrimus(c) ? 'train_step_primus_ref.py' : 'train_step_ref.py';
  const args = [join(here, script), c.preset, String(c.size), String(c.batch), String(STEPS), String(THREADS), String(WARMUP), ...(profile ? ['--profile'] : [])];
  const r = spawnSync('/usr/bin/python3', args, { encoding: 'utf8', timeout: 3_600_000 });
  return lastJson<Timing | Profile>(r.stdout) ?? `PyTorch failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`;
}

/** Batches per second the patch loader delivers for the MAE pipeline at this batch and patch size. */
async function loaderThroughput(c: Case): Promise<{ workers: number; batches_per_s: number }[]> {
  const { generateSyntheticOpenMind, preprocessDataset, PatchLoader } = await import('@openmind-ssl/data');
  const { maeInitialPatchSize } = await import('@openmind-ssl/augment');
  const root = mkdtempSync(join(tmpdir(), 'om-bench-ts-'));
  try {
    await generateSyntheticOpenMind({ out: root, subjects: 3, seed: 1, sizeMm: Math.max(96, c.size + 16) });
    const store = (await preprocessDataset({ input: root, out: join(root, 'pp'), workers: 1 })).dataDir;
    const patch: [number, number, number] = [c.size, c.size, c.size];
    const rows = [];
    for (const workers of [1, 2]) {
      const loader = await PatchLoader.open({
        store, batchSize: c.batch, patchSize: maeInitialPatchSize(patch), finalPatchSize: patch, workers, seed: 3,
        augmentation: { module: '@openmind-ssl/augment', exportName: 'maeSpatialPipeline', args: [patch] },
      });
      await loader.next();
      const n = 12;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await loader.next();
      rows.push({ workers, batches_per_s: n / ((performance.now() - t0) / 1000) });
      await loader.close();
    }
    return rows;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const isTiming = (t: Timing | Profile | string): t is Timing => typeof t !== 'string' && 'median_ms' in t;

/** The round with the lowest median step time (the least disturbed by other load on the machine). */
function bestRound(rounds: Timing[]): Timing | undefined {
  return [...rounds].sort((a, b) => a.median_ms - b.median_ms)[0];
}

async function main(): Promise<void> {
  const caseFilter = process.env.TRAIN_STEP_CASES;
  const backendFilter = process.env.TRAIN_STEP_BACKENDS?.split(',');
  // A method row is chosen only by a filter that names its method, so `resenc-small` still means the MAE row.
  const cases = CASES.filter((c) => !caseFilter || (label(c).includes(caseFilter) && (!c.method || caseFilter.includes(c.method))));
  const backends = BACKENDS.filter((x) => !backendFilter || backendFilter.includes(x.name));
  const rows: Record<string, unknown>[] = [];
  const skipped: { backend: string; case: string; reason: string }[] = [];
  const loader: Record<string, unknown>[] = [];
  const loadSamples: number[] = [];
  for (const c of cases) {
    const torchRounds: Timing[] = [];
    const ours = new Map<string, Timing[]>();
    const failed = new Map<string, string>();
    // Update chunks are an option of graph backends: only onnxruntime runs those cases.
    const active = backends.filter((b) => !c.updateChunkMb || b.name === 'onnxruntime').filter((b) => {
      const slow = b.tooSlow?.(c);
      if (slow) skipped.push({ backend: b.name, case: label(c), reason: slow });
      return !slow;
    });
    const caseLoad: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      loadSamples.push(loadavg()[0]!);
      caseLoad.push(loadavg()[0]!);
      process.stdout.write(`\n${label(c)} round ${round + 1}/${ROUNDS} (load ${loadavg()[0]!.toFixed(1)}): PyTorch…`);
      const torch = runTorch(c);
      if (isTiming(torch)) torchRounds.push(torch);
      process.stdout.write(isTiming(torch) ? ` ${(torch.median_ms / 1000).toFixed(2)} s/step\n` : ` ${String(torch)}\n`);
      for (const b of active) {
        // Backends far below PyTorch's speed run one round: their ratio does not hinge on load.
        if (failed.has(b.name) || (round > 0 && b.name !== 'onnxruntime')) continue;
        process.stdout.write(`  ${b.name}…`);
        const r = runOurs(b.name, c);
        if (!isTiming(r) || r.skip) {
          const reason = typeof r === 'string' ? r : (r as Timing).skip ?? 'no timing';
          process.stdout.write(` ${reason}\n`);
          failed.set(b.name, reason);
          continue;
        }
        ours.set(b.name, [...(ours.get(b.name) ?? []), r]);
        process.stdout.write(` ${(r.median_ms / 1000).toFixed(2)} s/step, peak ${Math.round(r.peak_mb)} MB\n`);
      }
    }
    for (const [name, reason] of failed) skipped.push({ backend: name, case: label(c), reason });
    const torch = bestRound(torchRounds);
    for (const b of active) {
      const o = bestRound(ours.get(b.name) ?? []);
      if (!o || !torch) continue;
      const oursRounds = ours.get(b.name)!;
      const row: Record<string, unknown> = {
        backend: b.name, case: label(c), params: o.params,
        ours_step_s: o.median_ms / 1000, torch_step_s: torch.median_ms / 1000, speedup: torch.median_ms / o.median_ms,
        ours_best_s: o.best_ms / 1000, torch_best_s: torch.best_ms / 1000, ours_first_step_extra_s: (o.compile_ms ?? 0) / 1000,
        ours_peak_mb: Math.round(Math.max(...oursRounds.map((t) => t.peak_mb))), torch_peak_mb: Math.round(Math.max(...torchRounds.map((t) => t.peak_mb))),
        memory_ratio: Math.max(...oursRounds.map((t) => t.peak_mb)) / Math.max(...torchRounds.map((t) => t.peak_mb)),
        ours_rss_after_timed_steps_mb: o.rss_mb,
        // CPU time per step (all threads) of the same rounds: less sensitive to other jobs than wall time.
        ours_cpu_s: (o.cpu_ms ?? NaN) / 1000, torch_cpu_s: (torch.cpu_ms ?? NaN) / 1000, cpu_speedup: (torch.cpu_ms ?? NaN) / (o.cpu_ms ?? NaN),
        rounds: { ours_median_s: oursRounds.map((t) => t.median_ms / 1000), torch_median_s: torchRounds.map((t) => t.median_ms / 1000) },
        torch_build: torch.torch_build,
        // When and under what load this row was measured (a filtered run keeps other rows' own).
        measured: { date: new Date().toISOString(), cpu_model: cpus()[0]?.model, timed_steps: STEPS, rounds: ROUNDS, loadavg_1min_at_rounds: caseLoad, loadavg_end: loadavg() },
        ...(c.method ? { step: methodRow(c.method).describe } : {}),
      };
      if (PROFILE && b.name === 'onnxruntime') {
        process.stdout.write(`  profiles (one step each)…`);
        const dir = mkdtempSync(join(tmpdir(), 'om-ort-profile-'));
        try {
          const op = runOurs(b.name, c, dir);
          const tp = runTorch(c, true);
          row.profile = { ours: typeof op === 'string' ? op : op, torch: typeof tp === 'string' ? tp : tp };
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        process.stdout.write(' done\n');
      }
      rows.push(row);
    }
    // Every MAE case loads with the same pipeline, so one measurement per (size, batch) says it all.
    if (!c.method && !loader.some((l) => l.size === c.size && l.batch === c.batch)) {
      for (const l of await loaderThroughput(c)) loader.push({ case: label(c), size: c.size, batch: c.batch, ...l, seconds_per_batch: 1 / l.batches_per_s });
    }
  }
  console.log('\n| backend | case | ours s/step | PyTorch s/step | speedup | CPU-time speedup | ours MB | PyTorch MB | memory ratio |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const flag = (r.speedup as number) < TARGET ? ` (below ${TARGET.toFixed(1)})` : '';
    const memoryFlag = (r.memory_ratio as number) > MEMORY_TARGET ? ` (above ${MEMORY_TARGET})` : '';
    console.log(`| ${r.backend} | ${r.case} | ${(r.ours_step_s as number).toFixed(2)} | ${(r.torch_step_s as number).toFixed(2)} | ${(r.speedup as number).toFixed(2)}${flag} | ${(r.cpu_speedup as number).toFixed(2)} | ${r.ours_peak_mb} | ${r.torch_peak_mb} | ${(r.memory_ratio as number).toFixed(2)}${memoryFlag} |`);
  }
  for (const s of skipped) console.log(`skipped ${s.backend} ${s.case}: ${s.reason}`);
  for (const l of loader) console.log(`loader ${l.case}, ${l.workers} worker(s): ${(l.batches_per_s as number).toFixed(2)} batches/s`);
  const result = {
    benchmark: 'train-step', date: new Date().toISOString(), threads: THREADS, warmup_steps: WARMUP, timed_steps: STEPS, rounds: ROUNDS,
    method: 'per side, the round with the lowest median step time; PyTorch and ours alternate rounds, each in its own process; peak = VmHWM of that process; each row\'s `measured` says when, with how many steps and rounds and under what load',
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memory_gb: Math.round(totalmem() / 2 ** 30), loadavg_at_rounds: loadSamples, loadavg_end: loadavg() },
    rows, skipped, loader,
  };
  await writeResult('train-step', caseFilter || backendFilter ? mergeWithPrevious(result) : result, { requireTorch: rows.length > 0, threads: THREADS });
}

/**
 * A filtered run replaces only the rows it measured (same backend and case) and keeps the rest of the
 * previous result file; top-level date, steps, rounds and machine then describe this run.
 */
function mergeWithPrevious<R extends { rows: Record<string, unknown>[]; skipped: { backend: string; case: string }[]; loader: Record<string, unknown>[] }>(result: R): R {
  const path = join(here, 'results', 'train-step.json');
  if (!existsSync(path)) return result;
  const old = JSON.parse(readFileSync(path, 'utf8')) as Partial<R>;
  const key = (r: { backend?: unknown; case?: unknown }) => `${String(r.backend)}\u0000${String(r.case)}`;
  const measured = new Set([...result.rows, ...result.skipped].map(key));
  const loaderCases = new Set(result.loader.map((l) => `${String(l.case)}\u0000${String(l.workers)}`));
  // Rows written before rows carried their own `measured` get the previous file's run-wide figures.
  const before = old as { date?: string; timed_steps?: number; rounds?: number; machine?: { model?: string; loadavg_at_rounds?: number[]; loadavg_end?: number[] } };
  const dated = (r: Record<string, unknown>) => ({
    ...r,
    measured: {
      ...((r.measured as object | undefined) ?? {
        date: before.date, cpu_model: before.machine?.model, timed_steps: before.timed_steps, rounds: before.rounds, loadavg_1min_at_rounds_of_that_run: before.machine?.loadavg_at_rounds, loadavg_end: before.machine?.loadavg_end,
      }),
      ...('torch_build' in r ? {} : { note: 'measured before rows recorded torch_build: that PyTorch ran on the reference BLAS (issue #25), so this row is not a fair comparison until rerun' }),
    },
  });
  return {
    ...result,
    rows: [...(old.rows ?? []).filter((r) => !measured.has(key(r))).map(dated), ...result.rows],
    skipped: [...(old.skipped ?? []).filter((s) => !measured.has(key(s))), ...result.skipped],
    loader: [...(old.loader ?? []).filter((l) => !loaderCases.has(`${String(l.case)}\u0000${String(l.workers)}`)), ...result.loader],
  };
}

if (process.argv[2] === '--child') await child(process.argv[3]!, JSON.parse(process.argv[4]!) as Case, process.argv[5]);
else await main();
