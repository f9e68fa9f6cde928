import type { BenchmarkJob } from './jobs.js';
import type { BenchmarkSpec } from './spec.js';

const si = (x: number) => {
  if (x === 0) return '0';
  const units = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  const k = Math.min(units.length - 1, Math.floor(Math.log10(x) / 3));
  return `${(x / 10 ** (3 * k)).toPrecision(3)}${units[k]}`;
};

/** The cost column: steps and voxels processed, hours where the spec gives a throughput. */
export function costText(job: BenchmarkJob): string {
  const c = job.cost;
  const parts = [];
  if (c.steps) parts.push(`${c.steps.toLocaleString('en')} steps`, `${si(c.voxels)}vox`);
  if (c.hours !== undefined) parts.push(`≈${c.hours.toFixed(1)} h`);
  if (c.note) parts.push(c.note);
  return parts.join(', ');
}

/** `benchmark run --dry-run`: every job with its dependencies, its commands and its cost, then totals per kind. */
export function dryRunText(spec: BenchmarkSpec, jobs: readonly BenchmarkJob[]): string {
  const lines = [`benchmark '${spec.name}': ${jobs.length} jobs${spec.description ? ` — ${spec.description}` : ''}`, ''];
  for (const j of jobs) {
    lines.push(`${j.id}  [${j.kind}]`);
    lines.push(`  needs: ${j.deps.length ? j.deps.join(', ') : '-'}`);
    lines.push(`  cost:  ${costText(j)}`);
    for (const c of j.commands) lines.push(`  $ openmind ${c.map((a) => (/[\s"{}]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  }
  lines.push('', 'totals:');
  for (const kind of ['data', 'preprocess', 'pretrain', 'finetune', 'evaluate'] as const) {
    const of = jobs.filter((j) => j.kind === kind);
    if (!of.length) continue;
    const steps = of.reduce((a, j) => a + j.cost.steps, 0);
    const voxels = of.reduce((a, j) => a + j.cost.voxels, 0);
    const hours = of.every((j) => j.cost.hours !== undefined) && steps ? `, ≈${of.reduce((a, j) => a + j.cost.hours!, 0).toFixed(0)} h` : '';
    lines.push(`  ${kind.padEnd(10)} ${String(of.length).padStart(5)} jobs${steps ? `, ${steps.toLocaleString('en')} steps, ${si(voxels)}vox${hours}` : ''}`);
  }
  if (!spec.throughput) lines.push('  (add "throughput": {"<arch>": voxels per second} to the spec for hour estimates)');
  return `${lines.join('\n')}\n`;
}
