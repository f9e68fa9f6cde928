// Benchmarks @openmind-ssl/data's NIfTI reader and writer against nibabel on a 256×256×176 float32 volume
// (the size of a 1 mm whole-head MRI): read .nii.gz, read .nii (with and without our NaN/Inf check, which
// nibabel does not do), write .nii.gz (gzip level 1, nibabel's default). The reference (bench/nifti_ref.py, Debian's python3 + nibabel) runs in the same invocation on
// the same files; results go to bench/results/nifti.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@openmind-ssl/core';
import { createNiftiImage, readNifti, writeNifti } from '@openmind-ssl/data';
import { writeResult } from './write-result.js';

const SHAPE = [256, 256, 176] as const;
const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'openmind-bench-nifti-'));
try {
  // A smooth head-sized blob with Rician-like noise: compresses about as well as a real float32 MRI.
  const [nx, ny, nz] = SHAPE;
  const data = new Float32Array(nx * ny * nz);
  const rng = new Rng(7);
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const r = Math.hypot((x - 128) / 90, (y - 128) / 110, (z - 88) / 80);
        const signal = r < 1 ? 600 + 250 * Math.sin(x / 9) * Math.cos(y / 11) * Math.sin(z / 7) : 0;
        data[i] = Math.abs(signal + 20 * rng.normal());
      }
    }
  }
  const affine = [[-1, 0, 0, 128], [0, 1, 0, -128], [0, 0, 1, -88], [0, 0, 0, 1]];
  const image = createNiftiImage(data, [...SHAPE], { affine });
  const gz = join(dir, 'vol.nii.gz');
  const nii = join(dir, 'vol.nii');
  await writeNifti(gz, image, { compressionLevel: 1 });
  await writeNifti(nii, image);
  const sizeMb = (f: string) => (statSync(f).size / 2 ** 20).toFixed(1);

  const oursReadGz = await timed(RUNS, () => readNifti(gz));
  const oursReadNii = await timed(RUNS, () => readNifti(nii));
  // nibabel does not look for NaN/Inf; this row compares like with like.
  const oursReadNiiNoCheck = await timed(RUNS, () => readNifti(nii, { nonFinite: 'allow' }));
  const oursWriteGz = await timed(RUNS, () => writeNifti(join(dir, 'ours-out.nii.gz'), image, { compressionLevel: 1 }));

  const r = spawnSync('/usr/bin/python3', ['bench/nifti_ref.py', String(RUNS), gz, nii, join(dir, 'ref-out.nii.gz')], { encoding: 'utf8' });
  let ref: { nibabel: string; read_gz_ms: number[]; read_nii_ms: number[]; write_gz_ms: number[] } | null = null;
  if (r.status === 0) ref = JSON.parse(r.stdout.trim().split('\n').pop()!);
  else console.error(`reference (nibabel) failed, reporting ours only:\n${r.stderr}`);

  const row = (name: string, ours: number[], reference: number[] | undefined) => {
    const o = median(ours);
    const refMs = reference ? median(reference) : null;
    return { case: name, ours_ms: +o.toFixed(1), reference_ms: refMs === null ? null : +refMs.toFixed(1), speedup: refMs === null ? null : +(refMs / o).toFixed(2) };
  };
  const label = `${SHAPE.join('x')} float32`;
  const rows = [
    row(`read ${label} .nii.gz (${sizeMb(gz)} MB)`, oursReadGz, ref?.read_gz_ms),
    row(`read ${label} .nii (${sizeMb(nii)} MB)`, oursReadNii, ref?.read_nii_ms),
    row(`read ${label} .nii, no NaN/Inf check`, oursReadNiiNoCheck, ref?.read_nii_ms),
    row(`write ${label} .nii.gz (gzip level 1)`, oursWriteGz, ref?.write_gz_ms),
  ];
  const result = {
    benchmark: 'nifti',
    reference: ref ? `nibabel ${ref.nibabel} (/usr/bin/python3)` : null,
    runs: RUNS,
    statistic: 'median ms after one warm-up; speedup = reference_ms / ours_ms',
    // Load average at the end of the run: on a shared machine the absolute figures move with it, the ratios less.
    machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', loadavg1m: +loadavg()[0]!.toFixed(2) },
    rows,
  };
  mkdirSync('bench/results', { recursive: true });
  await writeResult('nifti', result);
  console.log(`reference: ${result.reference ?? 'none'}; median of ${RUNS} runs`);
  console.table(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
