// Sliding-window prediction benchmark: nnU-Net's procedure (tiles every half patch, Gaussian weighting,
// with and without 8-pass mirroring) on one 192×160×160 volume with the ResEnc CPU preset (resenc-small,
// 64³ patch, the CLI's CPU defaults), ours on ONNX Runtime beside PyTorch (bench/predict_ref.py) with the
// same weights and tiles, in the same invocation.
//
//   npm run bench -- predict
//   PREDICT_SHAPE=64,64,64 PREDICT_PATCH=32,32,32 PREDICT_MIRROR=off npm run bench -- predict   (a quick check)
//
// Reported per mode: seconds per case, peak memory (VmHWM after the prediction − VmRSS before it, with the
// network and the volume already loaded and the high-water mark reset there), tiles, and the largest
// absolute difference between our logits and PyTorch's (must stay below 1e-3).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { Rng, setBackend } from '@openmind-ssl/core';
import { slidingWindowPredict } from '@openmind-ssl/task-segmentation';
import type { TorchBuild } from './fair-reference.js';
import { writeResult } from './write-result.js';

const THREADS = 2;
const here = dirname(fileURLToPath(import.meta.url));
const triple = (v: string | undefined, fallback: [number, number, number]): [number, number, number] =>
  (v ? v.split(',').map(Number) : fallback) as [number, number, number];
const SHAPE = triple(process.env['PREDICT_SHAPE'], [192, 160, 160]);
const PATCH = triple(process.env['PREDICT_PATCH'], [64, 64, 64]);
const PRESET = process.env['PREDICT_PRESET'] ?? 'resenc-small';
const MODES = (process.env['PREDICT_MIRROR'] ?? 'off,on').split(',').map((m) => m === 'on');
const CLASSES = 2;

function statusKb(field: string): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))![1]);
}

function randomVolume(n: number): Float32Array {
  const a = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 2 ** 32 - 0.5) * 2;
  }
  return a;
}

async function main(): Promise<void> {
  const backend = new OnnxRuntimeBackend({ intraOpThreads: THREADS, spinning: false });
  await backend.init();
  setBackend(backend);
  const net = resencFactory.create(PRESET, { inChannels: 1, outChannels: CLASSES, patchSize: PATCH, rng: new Rng(0) });
  net.eval();
  // Our canonical state dict for the PyTorch side: one float32 blob and an index of offsets.
  const dir = mkdtempSync(join(tmpdir(), 'om-bench-predict-'));
  const tensors: Record<string, { shape: number[]; offset: number }> = {};
  const parts: Float32Array[] = [];
  let offset = 0;
  for (const [key, t] of net.stateDict()) {
    const values = await t.floats();
    tensors[key] = { shape: [...t.shape], offset };
    parts.push(values);
    offset += values.length;
  }
  const blob = new Float32Array(offset);
  parts.reduce((o, p) => (blob.set(p, o), o + p.length), 0);
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(blob.buffer));
  writeFileSync(join(dir, 'weights.json'), JSON.stringify({ file: 'weights.bin', tensors }));
  const volume = randomVolume(SHAPE[0] * SHAPE[1] * SHAPE[2]);
  writeFileSync(join(dir, 'volume.bin'), new Uint8Array(volume.buffer));

  const rows = [];
  for (const mirror of MODES) {
    const loadBefore = loadavg()[0]!;
    writeFileSync('/proc/self/clear_refs', '5');
    const before = statusKb('VmRSS');
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    let tiles = 0;
    const ours = await slidingWindowPredict(volume, [1, ...SHAPE], (x) => net.forward(x), {
      patchSize: PATCH, mirrorAxes: mirror ? [0, 1, 2] : [], onTile: (t) => { tiles = t.total; },
    });
    const seconds = (performance.now() - start) / 1000;
    const cpuUsed = process.cpuUsage(cpu0);
    const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
    const peakMb = (statusKb('VmHWM') - before) / 1024;
    const out = join(dir, `torch-${mirror ? 'mirror' : 'plain'}.bin`);
    const ref = spawnSync('/usr/bin/python3', [join(here, 'predict_ref.py'), JSON.stringify({
      preset: PRESET, in_channels: 1, classes: CLASSES, shape: SHAPE, patch: PATCH, mirror, threads: THREADS,
      weights: join(dir, 'weights.json'), volume: join(dir, 'volume.bin'), out,
    })], {
      encoding: 'utf8', maxBuffer: 16 << 20,
      // As conv3d.bench.ts: idle OpenMP threads sleep, as ours do (spinning: false). With libgomp's default
      // spin-wait, PyTorch's threads burn the shared cores waiting at every op's barrier, and on a loaded
      // machine its wall time grows several-fold (measured: a 32³ forward took 4.9–6.8 s instead of 2.3–3.4 s).
      env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
    });
    if (ref.status !== 0) throw new Error(`bench/predict_ref.py failed:\n${ref.stderr}`);
    const torch = JSON.parse(ref.stdout.trim().split('\n').pop()!) as { seconds: number; cpu_seconds: number; peak_mb: number; tiles: number; torch: string; torch_build: TorchBuild };
    const theirs = new Float32Array(readFileSync(out).buffer.slice(0));
    let maxAbs = 0;
    for (let i = 0; i < theirs.length; i++) maxAbs = Math.max(maxAbs, Math.abs(ours.logits[i]! - theirs[i]!));
    const row = {
      mirroring: mirror, tiles, passes_per_tile: mirror ? 8 : 1,
      ours: { backend: 'onnxruntime', seconds, cpu_seconds: cpuSeconds, peak_mb: peakMb },
      pytorch: { seconds: torch.seconds, cpu_seconds: torch.cpu_seconds, peak_mb: torch.peak_mb, tiles: torch.tiles, torch: torch.torch, torch_build: torch.torch_build },
      ratio_seconds: seconds / torch.seconds,
      // CPU time (all threads) is steadier than wall time on a shared machine.
      ratio_cpu_seconds: cpuSeconds / torch.cpu_seconds,
      max_abs_logit_difference: maxAbs,
      // The machine is shared: the 1-minute load average before our run and after PyTorch's.
      loadavg_1min: { before: loadBefore, after: loadavg()[0]! },
    };
    console.log(`mirroring ${mirror ? 'on ' : 'off'}: ${tiles} tiles; ours ${seconds.toFixed(2)} s, ${peakMb.toFixed(0)} MB; PyTorch ${torch.seconds.toFixed(2)} s, ${torch.peak_mb.toFixed(0)} MB; ratio ${row.ratio_seconds.toFixed(2)}× (CPU time ${row.ratio_cpu_seconds.toFixed(2)}×); max |Δlogit| ${maxAbs.toExponential(2)}`);
    if (!(maxAbs < 1e-3)) throw new Error(`predict benchmark: our logits differ from PyTorch's by ${maxAbs} (limit 1e-3).`);
    rows.push(row);
    // Written after every mode: a run stopped during the long mirrored mode keeps the plain one.
    await write(rows);
  }
  await backend.close();
}

async function write(rows: unknown[]): Promise<void> {
  const path = await writeResult('predict', {
    benchmark: 'predict',
    method: 'one cold run per side and mode (the first tile includes ORT\'s session build and oneDNN\'s primitive creation); seconds = wall time of the sliding window, cpu_seconds = CPU time of all threads in it; ratio = ours / PyTorch (below 1: ours faster); ORT without spinning, PyTorch with OMP_WAIT_POLICY=PASSIVE and torch.inference_mode()',
    preset: PRESET, shape: SHAPE, patch: PATCH, classes: CLASSES, threads: THREADS, step: 0.5,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
    modes_requested: MODES.map((m) => (m ? 'mirroring' : 'no mirroring')), rows,
  }, { requireTorch: true, threads: THREADS });
  console.log(`result → ${path}`);
}

await main();
