// Benchmarks @openmind-ssl/augment against scipy: one 257³ → 160³ spatial transform (cubic image, per-label
// linear mask) and nnssl's SimCLR crop augmentation (2 × (reference, overlapping) 64³ crops of a
// 192×192×64 patch per image). The reference (bench/augment_ref.py, Debian's python3 + scipy) runs in the
// same invocation on the same input; results go to bench/results/augment.json. Both wall-clock and
// process CPU time are recorded; ratios use CPU time, which a shared machine disturbs less.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@openmind-ssl/core';
import type { Augmentation, Sample } from '@openmind-ssl/core';
import {
  BrightnessMultiplicativeTransform, Compose, ContrastTransform, GammaTransform, GaussianBlurTransform, GaussianNoiseTransform,
  MirrorTransform, Rot90Transform, SimulateLowResolutionTransform, cropVolume, rotateScale, simclrCropAugmentation,
  splinePrefilter3d,
} from '@openmind-ssl/augment';
import type { Triple } from '@openmind-ssl/augment';
import { writeResult } from './write-result.js';

const IN = 257;
const PATCH = 160;
const ANGLES: Triple = [0.3, -0.4, 0.25];
const SCALE = 1.2;
const SIMCLR_IMAGES = 30;

interface Timing { wall_ms: number; cpu_ms: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Median wall and CPU time of `runs` calls. */
function time(runs: number, fn: () => void): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c0 = cpuMs();
    fn();
    cpu.push(cpuMs() - c0);
    wall.push(performance.now() - t0);
  }
  return { wall_ms: median(wall), cpu_ms: median(cpu) };
}

/** Mean wall and CPU time per call over `runs` calls (for pipelines whose steps fire at random). */
function timeMean(runs: number, fn: () => void): Timing {
  const t0 = performance.now();
  const c0 = cpuMs();
  for (let i = 0; i < runs; i++) fn();
  return { wall_ms: (performance.now() - t0) / runs, cpu_ms: (cpuMs() - c0) / runs };
}

function python(args: string[]): Timing | null {
  const r = spawnSync('/usr/bin/python3', ['bench/augment_ref.py', ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    console.error(`reference failed: ${r.stderr}`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Timing;
}

// ---- spatial transform -------------------------------------------------------------------------------
const n = IN ** 3;
const image = new Rng(1).fillUniform(new Float32Array(n), -1, 1);
// An anonymization-like mask: 1 inside a ball, 0 outside (mostly uniform, one boundary).
const mask = new Uint8Array(n);
for (let x = 0, i = 0; x < IN; x++) for (let y = 0; y < IN; y++) for (let z = 0; z < IN; z++, i++) {
  mask[i] = (x - 128) ** 2 + (y - 128) ** 2 + (z - 120) ** 2 < 100 ** 2 ? 1 : 0;
}
const params = { patchSize: [PATCH, PATCH, PATCH] as Triple, angles: ANGLES, scale: SCALE };
const plain: Sample = { image, shape: [1, IN, IN, IN] };
const withMask: Sample = { ...plain, masks: { anon: { data: mask, channels: 1 } } };

let ours = rotateScale(plain, params);
rotateScale(withMask, params);
const oursImage = time(5, () => { ours = rotateScale(plain, params); });
const oursMask = time(3, () => rotateScale(withMask, params));
const coeffs = new Float32Array(n);
const oursPrefilter = time(3, () => splinePrefilter3d(image, 0, [IN, IN, IN], coeffs));

const dir = join(tmpdir(), `augment-bench-${process.pid}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'in.f32'), image);
writeFileSync(join(dir, 'mask.u8'), mask);
const common = [join(dir, 'in.f32'), `${IN}`, `${IN}`, `${IN}`, `${PATCH}`, ...ANGLES.map(String), `${SCALE}`, join(dir, 'out.f32')];
const refImage = python(['spatial', ...common, '3']);
let maxDiff = NaN;
if (refImage) {
  const ref = new Float32Array(readFileSync(join(dir, 'out.f32')).buffer.slice(0));
  maxDiff = 0;
  for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ref[i]! - ours.image[i]!));
}
const refMask = python(['spatial', ...common, '2', join(dir, 'mask.u8')]);
rmSync(dir, { recursive: true, force: true });

// ---- SimCLR crop pipeline ----------------------------------------------------------------------------
const DIMS: Triple = [192, 192, 64];
const CROP: Triple = [64, 64, 64];
const patch = new Rng(2).fillUniform(new Float32Array(DIMS[0] * DIMS[1] * DIMS[2]), -1, 1);

/** nnssl SimCLRTransform offsets: reference U{0..dim-64}; overlapping within ±32 of it, inside the patch. */
function cropPair(rng: Rng): Triple[] {
  const ref = DIMS.map((d) => rng.int(0, d - 64 + 1));
  const other = DIMS.map((d, a) => rng.int(Math.max(0, ref[a]! - 32), Math.min(d - 64, ref[a]! + 32) + 1));
  return [ref as unknown as Triple, other as unknown as Triple];
}

function simclrImage(pipeline: Augmentation, rng: Rng): void {
  for (let c = 0; c < 2; c++) {
    for (const start of cropPair(rng)) {
      pipeline.apply({ image: cropVolume(patch, [1, ...DIMS], start, CROP), shape: [1, ...CROP] }, rng);
    }
  }
}

const everyStep = new Compose([
  new GaussianNoiseTransform({ p: 1 }),
  new GaussianBlurTransform({ blurSigma: [0.5, 1], p: 1, pPerChannel: 1 }),
  new BrightnessMultiplicativeTransform({ multiplierRange: [0.75, 1.25], p: 1 }),
  new ContrastTransform({ p: 1 }),
  new SimulateLowResolutionTransform({ zoomRange: [0.5, 1], perChannel: true, pPerChannel: 1, orderDownsample: 0, orderUpsample: 3, p: 1 }),
  new GammaTransform({ gammaRange: [0.7, 1.5], invertImage: true, perChannel: true, retainStats: true, p: 1 }),
  new GammaTransform({ gammaRange: [0.7, 1.5], perChannel: true, retainStats: true, p: 1 }),
  new MirrorTransform({ axes: [0] }), new MirrorTransform({ axes: [1] }), new MirrorTransform({ axes: [2] }),
  new Rot90Transform({ axes: [0, 1], p: 1 }),
]);
const nnssl = simclrCropAugmentation();
const rngS = new Rng(3);
for (let i = 0; i < 5; i++) simclrImage(nnssl, rngS);
simclrImage(everyStep, rngS);
const simclr = timeMean(SIMCLR_IMAGES, () => simclrImage(nnssl, rngS));
const forced = timeMean(10, () => simclrImage(everyStep, rngS));
const refSimclr = python(['simclr', `${SIMCLR_IMAGES}`, '3', '0']);
const refForced = python(['simclr', '10', '3', '1']);

// ---- report ------------------------------------------------------------------------------------------
const round = (x: number | undefined) => (x === undefined ? null : +x.toFixed(1));
const row = (name: string, t: Timing, ref: Timing | null | undefined, reference: string, extra: Record<string, unknown> = {}) => ({
  case: name,
  ours_cpu_ms: round(t.cpu_ms),
  ours_wall_ms: round(t.wall_ms),
  reference,
  reference_cpu_ms: round(ref?.cpu_ms),
  reference_wall_ms: round(ref?.wall_ms),
  ratio_ours_over_reference_cpu: ref ? +(t.cpu_ms / ref.cpu_ms).toFixed(3) : null,
  ...extra,
});
const cases = [
  row(`spatial ${IN}³→${PATCH}³ image (order 3), median of 5`, oursImage, refImage,
    'scipy map_coordinates order 3, constant (batchgenerators interpolate_img), median of 3', { max_abs_diff_vs_reference: maxDiff }),
  row(`spatial ${IN}³→${PATCH}³ image + uint8 mask, median of 3`, oursMask, refMask, 'same + per-label map_coordinates order 1, median of 2'),
  row(`spline prefilter ${IN}³ (part of the above)`, oursPrefilter, undefined, 'n/a'),
  row(`SimCLR crop augmentation per image (4 × 64³ crops, nnssl probabilities, mean of ${SIMCLR_IMAGES})`, simclr, refSimclr,
    'numpy/scipy re-implementation of the batchgenerators steps (batchgenerators is not installed)'),
  row('SimCLR crop augmentation per image (every step fires, mean of 10)', forced, refForced, 'same, every step forced'),
];
const result = {
  name: 'augment',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  logicalCores: cpus().length,
  loadAverage1m: +loadavg()[0]!.toFixed(2),
  note: 'single-threaded on both sides; milliseconds; ratios use process CPU time because the machine may be shared',
  cases,
};
mkdirSync('bench/results', { recursive: true });
await writeResult('augment', result);
console.table(cases.map((c) => ({ case: c.case, ours_cpu_ms: c.ours_cpu_ms, ref_cpu_ms: c.reference_cpu_ms, ratio: c.ratio_ours_over_reference_cpu })));
console.log(`max |ours - scipy| on the 160³ image: ${maxDiff.toExponential(2)}; load average ${result.loadAverage1m}`);
