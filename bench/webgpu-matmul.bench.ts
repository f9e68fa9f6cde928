// WebGPU matmul kernel variants: the register-blocked kernel (4×4 outputs per invocation from vec4 loads,
// no workgroup memory) against the tiled one (64×64 tiles staged in workgroup memory between barriers),
// each forced on the adapter at hand, beside PyTorch (bench/webgpu-matmul_ref.py) in the same invocation.
//
//   npm run bench -- webgpu-matmul
//   MATMUL_SECONDS=2 npm run bench -- webgpu-matmul     (minimum timed seconds per variant, default 1)
//
// Throughput is the best of the timed runs (the machine is shared; the minimum is the least noisy),
// 2·M·K·N flops. cpu_gflops divides by the least CPU time of a run over THREADS cores instead: on a
// software adapter the kernels run on this process's CPU threads, so it is less sensitive to other load.
import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWebGpuBackend, probeWebGpu } from '@openmind-ssl/backend-webgpu';
import type { KernelVariant } from '@openmind-ssl/backend-webgpu';
import type { TorchBuild } from './fair-reference.js';
import { writeResult } from './write-result.js';

const THREADS = 2;
const here = dirname(fileURLToPath(import.meta.url));
const SIZES = [[1024, 1024, 1024], [256, 2304, 512]] as const;
const VARIANTS: KernelVariant[] = ['register', 'tiled'];

interface Timing { best_ms: number; median_ms: number; cpu_ms: number; reps: number; torch_build?: TorchBuild }

function randomData(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

async function timeVariant(variant: KernelVariant, m: number, k: number, n: number, minSeconds: number): Promise<Timing & { adapter: string }> {
  const b = createWebGpuBackend({ kernelVariant: variant });
  await b.init();
  const x = b.upload(randomData(m * k, 1), [1, m, k], 'float32');
  const w = b.upload(randomData(k * n, 2), [1, k, n], 'float32');
  const once = async () => {
    b.dispose(b.matmul(x, w, false, false));
    await b.sync();
  };
  await once(); // compiles the pipeline
  const times: number[] = [];
  let cpuMs = Infinity;
  const start = performance.now();
  while (times.length < 3 || performance.now() - start < minSeconds * 1000) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await once();
    times.push(performance.now() - t0);
    const used = process.cpuUsage(c0);
    cpuMs = Math.min(cpuMs, (used.user + used.system) / 1000);
  }
  const adapter = b.profile.adapter;
  await b.close();
  times.sort((p, q) => p - q);
  return { best_ms: times[0]!, median_ms: times[times.length >> 1]!, cpu_ms: cpuMs, reps: times.length, adapter };
}

function runTorch(m: number, k: number, n: number, minSeconds: number): Timing | string {
  const r = spawnSync('/usr/bin/python3', [join(here, 'webgpu-matmul_ref.py'), JSON.stringify({ m, k, n, threads: THREADS, min_seconds: minSeconds, min_reps: 3 })], {
    encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
  });
  const line = r.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  return line ? (JSON.parse(line) as Timing) : `failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`;
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

const probe = await probeWebGpu();
if (!probe.available) {
  console.log(`skipping: ${probe.reason}`);
  process.exit(0);
}
const minSeconds = Number(process.env.MATMUL_SECONDS ?? 1);
const rows: Record<string, unknown>[] = [];
console.log(`adapter: ${probe.reason} (default variant: ${probe.variant})`);
console.log(`${'variant'.padEnd(9)} ${'M×K×N'.padEnd(16)} ${'GF/s'.padStart(7)} ${'cpu GF/s'.padStart(9)} ${'torch GF/s'.padStart(10)} ${'ratio'.padStart(6)}`);
for (const [m, k, n] of SIZES) {
  const gflop = (2 * m * k * n) / 1e9;
  const torch = runTorch(m, k, n, minSeconds);
  for (const variant of VARIANTS) {
    const ours = await timeVariant(variant, m, k, n, minSeconds);
    const oursGf = gflop / (ours.best_ms / 1000);
    const torchGf = typeof torch === 'string' ? NaN : gflop / (torch.best_ms / 1000);
    const row = {
      variant, m, k, n, default: variant === probe.variant,
      ours_gflops: round(oursGf), ours_cpu_gflops: round(gflop / (ours.cpu_ms / 1000 / THREADS)),
      torch_gflops: round(torchGf), ratio: round(oursGf / torchGf, 3),
      ours_best_ms: round(ours.best_ms, 1), torch_best_ms: typeof torch === 'string' ? null : round(torch.best_ms, 1),
      ...(typeof torch === 'string' ? { torch_error: torch } : { torch_build: torch.torch_build }),
    };
    rows.push(row);
    console.log(`${variant.padEnd(9)} ${`${m}×${k}×${n}`.padEnd(16)} ${String(row.ours_gflops).padStart(7)} ${String(row.ours_cpu_gflops).padStart(9)} ${String(row.torch_gflops).padStart(10)} ${String(row.ratio).padStart(6)}`);
  }
}
await writeResult('webgpu-matmul', {
  benchmark: 'webgpu-matmul',
  generated: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, threads: THREADS, loadavg: loadavg().map((v) => round(v)), adapter: probe.reason },
  method: 'best of >= 3 timed runs and >= MATMUL_SECONDS s per variant after a warm-up run (which compiles); a run = matmul + sync; GFLOP = 2*M*K*N; cpu_gflops = GFLOP / (least CPU time of a run / threads); PyTorch torch.matmul with 2 threads and OMP_WAIT_POLICY=PASSIVE',
  rows,
}, { requireTorch: true, threads: THREADS });
console.log('wrote bench/results/webgpu-matmul.json');
