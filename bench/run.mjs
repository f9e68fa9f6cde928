#!/usr/bin/env node
// Runs the benchmarks: `npm run bench` runs all, `npm run bench -- <name> [...]` the named ones.
// Each benchmark is bench/<name>.bench.ts; it runs its reference (PyTorch, nibabel, ...) in the same
// invocation and writes bench/results/<name>.json with both figures and their ratio.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unfairReason } from './fair-reference.ts';

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: npm run bench [-- <name> ...]\n\nbenchmarks: ${all.join(', ')}\nresults: bench/results/<name>.json`);
  process.exit(0);
}
const chosen = args.length ? args : all;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark '${name}'; available: ${all.join(', ')}`);
    process.exit(2);
  }
}
// Benchmarks that time PyTorch beside us; their reference must run on an optimized BLAS (bench/fair-reference.ts).
const TORCH_BENCHES = new Set(['conv3d', 'predict', 'train-step', 'webgpu-matmul']);
if (chosen.some((n) => TORCH_BENCHES.has(n))) {
  const probe = spawnSync('/usr/bin/python3', [join(here, 'torch_build.py'), '2'], { encoding: 'utf8' });
  let build;
  try { build = JSON.parse(probe.stdout.trim().split('\n').pop() ?? ''); } catch { build = undefined; }
  const why = build ? unfairReason(build, 2) : undefined;
  if (!build || why) {
    console.error(build
      ? `${why}; a benchmark against it would mislead.`
      : `PyTorch (Debian's python3-torch, /usr/bin/python3) is not usable here: ${(probe.stderr || probe.stdout).trim().split('\n').pop()}\nInstall it: sudo bash bench/install-reference.sh`);
    process.exit(1);
  }
  console.log(`PyTorch reference: torch ${build.torch}, ${build.blas} (${build.blas_library}), oneDNN ${build.onednn}`);
}
let failed = 0;
for (const name of chosen) {
  console.log(`\n== ${name} ==`);
  const r = spawnSync(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', join(here, `${name}.bench.ts`)], {
    stdio: 'inherit',
    cwd: join(here, '..'),
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
