// Renders the Markdown tables of docs/performance.md from bench/results/*.json, so that the docs quote
// the result files and nothing else: `npm run bench:tables` (after `npm run bench`), then paste.
// tables.test.ts checks that every table it renders stands in docs/performance.md as rendered.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const results = join(dirname(fileURLToPath(import.meta.url)), 'results');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function read(dir: string, name: string): Json | undefined {
  const file = join(dir, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

const fixed = (x: number | undefined, digits: number) => (x === undefined || x === null ? '–' : x.toFixed(digits));
const params = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(n >= 1e8 ? 1 : 2)} M` : `${Math.round(n / 1e3)} k`);
const load = (a: number[] | undefined) => (a ?? []).map((x) => x.toFixed(1)).join(', ');

function table(head: string[], rows: string[][]): string {
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function trainStep(d: Json, methods: boolean): string {
  const head = ['case', 'params', 'ours s/step', 'PyTorch s/step', 'speedup', 'CPU-time speedup', 'ours peak MB', 'PyTorch peak MB', 'memory ratio', 'measured (UTC)', 'load at the rounds'];
  const row = (r: Json) => [
    r.case, params(r.params), fixed(r.ours_step_s, 2), fixed(r.torch_step_s, 2), fixed(r.speedup, 2), fixed(r.cpu_speedup, 2),
    String(r.ours_peak_mb), String(r.torch_peak_mb), fixed(r.memory_ratio, 2), String(r.measured?.date ?? '').slice(11, 16), load(r.measured?.loadavg_1min_at_rounds),
  ];
  const isMethod = (r: Json) => /^[a-z-]+ (resenc|primus)/.test(r.case);
  return table(head, d.rows.filter((r: Json) => r.backend === 'onnxruntime' && isMethod(r) === methods).map(row));
}

function conv3d(d: Json): string {
  const head = ['case', 'ours GF/s', 'PyTorch GF/s', 'speedup', 'ours GF/s (CPU)', 'PyTorch GF/s (CPU)', 'ours MB', 'PyTorch MB', 'load'];
  const rows = d.rows.filter((r: Json) => r.backend === 'onnxruntime').map((r: Json) => [
    r.case, fixed(r.ours_gflops, 1), fixed(r.torch_gflops, 1), fixed(r.speedup, 2), fixed(r.ours_cpu_gflops, 1), fixed(r.torch_cpu_gflops, 1),
    String(r.ours_peak_mb), String(r.torch_peak_mb), fixed(r.loadavg, 1),
  ]);
  return table(head, rows);
}

function predict(d: Json): string {
  const head = ['mode', 'tiles', 'ours s', 'PyTorch s', 'ratio (ours / PyTorch)', 'ours CPU s', 'PyTorch CPU s', 'CPU-time ratio', 'ours peak MB', 'PyTorch peak MB', 'max abs logit difference', 'load before, after'];
  const rows = d.rows.map((r: Json) => [
    r.mirroring ? `${r.passes_per_tile}-pass mirroring` : 'no mirroring', String(r.tiles), fixed(r.ours.seconds, 1), fixed(r.pytorch.seconds, 1), fixed(r.ratio_seconds, 2),
    fixed(r.ours.cpu_seconds, 1), fixed(r.pytorch.cpu_seconds, 1), fixed(r.ratio_cpu_seconds, 2), fixed(r.ours.peak_mb, 0), fixed(r.pytorch.peak_mb, 0),
    r.max_abs_logit_difference.toExponential(1), `${r.loadavg_1min.before}, ${r.loadavg_1min.after}`,
  ]);
  return table(head, rows);
}

function webgpuMatmul(d: Json): string {
  const head = ['variant', 'M×K×N', 'ours GF/s', 'ours GF/s (CPU)', 'PyTorch GF/s', 'ratio'];
  const rows = d.rows.map((r: Json) => [`${r.variant}${r.default ? ' (default)' : ''}`, `${r.m}×${r.k}×${r.n}`, fixed(r.ours_gflops, 2), fixed(r.ours_cpu_gflops, 2), fixed(r.torch_gflops, 1), fixed(r.ratio, 3)]);
  return table(head, rows);
}

function loader(d: Json): string {
  return table(['crop', 'store', 'workers', 'augmentation', 'patches/s'], d.rows.map((r: Json) => [String(r.crop), r.store, String(r.workers), r.augmentation, fixed(r.patches_per_s, 2)]));
}

function nifti(d: Json): string {
  return table(['case', 'ours ms', 'nibabel ms', 'speedup'], d.rows.map((r: Json) => [r.case, fixed(r.ours_ms, 1), fixed(r.reference_ms, 1), fixed(r.speedup, 2)]));
}

function augment(d: Json): string {
  return table(['case', 'ours CPU ms', 'reference CPU ms', 'ours / reference'], d.cases.map((c: Json) => [c.case, fixed(c.ours_cpu_ms, 1), fixed(c.reference_cpu_ms, 1), fixed(c.ratio_ours_over_reference_cpu, 2)]));
}

/** Every table docs/performance.md quotes, by name, rendered from the result files that exist. */
export function renderTables(dir = results): Map<string, string> {
  const out = new Map<string, string>();
  const add = (name: string, file: string, render: (d: Json) => string) => {
    const d = read(dir, file);
    if (d) out.set(name, render(d));
  };
  add('train-step (MAE)', 'train-step', (d) => trainStep(d, false));
  add('train-step (methods)', 'train-step', (d) => trainStep(d, true));
  add('conv3d', 'conv3d', conv3d);
  add('predict', 'predict', predict);
  add('webgpu-matmul', 'webgpu-matmul', webgpuMatmul);
  add('loader', 'loader', loader);
  add('nifti', 'nifti', nifti);
  add('augment', 'augment', augment);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, text] of renderTables()) process.stdout.write(`${name}:\n\n${text}\n\n`);
}
