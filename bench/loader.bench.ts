// Benchmarks the @openmind-ssl/data patch loader: patches/s for 160³ and 64³ crops, 1 and 2 worker threads,
// without augmentation and with nnssl's MAE spatial pipeline (@openmind-ssl/augment `maeSpatialPipeline`: the
// loader reads the enlarged 257³ / 103³ crop, the pipeline rotates/scales with p 0.2 each, centre-crops and
// mirrors). Also times one case of preprocessing (resampling a 176×256×256 volume to 1 mm).
//
// Reference, run in the same invocation with Debian's python3 (the Python code is inline below):
// numpy random crops (with zero padding) from uncompressed .npy memmaps of the same volumes, one process,
// which is what an nnU-Net-style npy loader does per worker; and scipy's zoom(order 3, grid_mode) + clip
// for the resampling (what skimage.resize does inside nnssl's preprocessing). Results:
// bench/results/loader.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@openmind-ssl/core';
import { PatchLoader, computeNewShape, preprocessCase, resampleData, writeCase } from '@openmind-ssl/data';
import type { AugmentationSpec, PatchLoaderOptions, Shape3 } from '@openmind-ssl/data';
import { writeResult } from './write-result.js';

const loadAtStart = loadavg().map((v) => +v.toFixed(2));
const CASES = 4;
const SHAPE: Shape3 = [176, 224, 192];
const BATCH = 2;
const QUICK = process.env['LOADER_BENCH_QUICK'] === '1';

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const s = statSync(p);
    n += s.isDirectory() ? dirBytes(p) : s.size;
  }
  return n;
}

/** A head-like 1 mm volume: ellipsoid head (~1) with a brain (~3), smooth texture and noise; masks. */
function syntheticCase(seed: number): { image: Float32Array; anat: Int8Array; anon: Int8Array } {
  const rng = new Rng(seed);
  const [A, B, C] = SHAPE;
  const n = A * B * C;
  const image = new Float32Array(n);
  const anat = new Int8Array(n);
  const anon = new Int8Array(n);
  const f = [rng.uniformIn(0.05, 0.1), rng.uniformIn(0.05, 0.1), rng.uniformIn(0.05, 0.1)];
  for (let i = 0, o = 0; i < A; i++) for (let j = 0; j < B; j++) for (let k = 0; k < C; k++, o++) {
    const r2 = ((i - A / 2) / (0.45 * A)) ** 2 + ((j - B / 2) / (0.45 * B)) ** 2 + ((k - C / 2) / (0.45 * C)) ** 2;
    if (r2 >= 1) continue;
    const brain = r2 < 0.5;
    image[o] = (brain ? 3 : 1) + 0.3 * Math.sin(f[0]! * i) * Math.sin(f[1]! * j) * Math.sin(f[2]! * k) + 0.05 * rng.normal();
    anat[o] = brain ? 1 : 0;
    anon[o] = j < 0.2 * B ? 1 : 0;
  }
  return { image, anat, anon };
}

function npyHeader(shape: number[]): Buffer {
  let h = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  while ((10 + h.length + 1) % 64 !== 0) h += ' ';
  h += '\n';
  const b = Buffer.alloc(10);
  b.write('\x93NUMPY', 0, 'latin1');
  b[6] = 1;
  b[7] = 0;
  b.writeUInt16LE(h.length, 8);
  return Buffer.concat([b, Buffer.from(h, 'latin1')]);
}

const PYTHON_REF = String.raw`
import json, sys, time, glob
import numpy as np
from scipy import ndimage as ndi
mode, args = sys.argv[1], sys.argv[2:]
if mode == 'crop':
    folder, patch, batches, batch = args[0], int(args[1]), int(args[2]), int(args[3])
    vols = [np.load(f, mmap_mode='r') for f in sorted(glob.glob(folder + '/*.npy'))]
    rng = np.random.default_rng(0)
    def crop(v):
        s = v.shape
        lo = [int(rng.integers(min(0, x - patch), max(0, x - patch) + 1)) for x in s]
        out = np.zeros((patch,) * 3, np.float32)
        a = [max(0, l) for l in lo]; b = [min(x, l + patch) for x, l in zip(s, lo)]
        out[a[0]-lo[0]:b[0]-lo[0], a[1]-lo[1]:b[1]-lo[1], a[2]-lo[2]:b[2]-lo[2]] = v[a[0]:b[0], a[1]:b[1], a[2]:b[2]]
        return out
    for _ in range(2):
        np.stack([crop(vols[int(rng.integers(len(vols)))]) for _ in range(batch)])
    t = time.perf_counter()
    for _ in range(batches):
        np.stack([crop(vols[int(rng.integers(len(vols)))]) for _ in range(batch)])
    dt = time.perf_counter() - t
    print(json.dumps({'patches_per_s': batches * batch / dt}))
else:
    shape = [int(x) for x in args[0:3]]; new = [int(x) for x in args[3:6]]
    x = np.random.default_rng(0).normal(size=shape).astype(np.float64)
    t = time.perf_counter()
    out = ndi.zoom(x, [n / s for n, s in zip(new, shape)], order=3, mode='nearest', grid_mode=True)
    np.clip(out, x.min(), x.max(), out=out)
    print(json.dumps({'seconds': time.perf_counter() - t}))
`;

function python(args: string[]): Record<string, number> | null {
  const r = spawnSync('/usr/bin/python3', ['-c', PYTHON_REF, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    console.error(`reference failed: ${r.stderr}`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

// ---- store ---------------------------------------------------------------------------------------------
const root = join(tmpdir(), `loader-bench-${process.pid}`);
const storeDir = join(root, 'nnsslPlans_onemmiso');
// The same cases uncompressed (compressionLevel 0), to show what gzip costs per crop.
const rawStoreDir = join(root, 'uncompressed');
mkdirSync(join(root, 'npy'), { recursive: true });
const cases: { id: string; subjectId: string; path: string }[] = [];
let rawBytes = 0;
const tWrite = performance.now();
for (let c = 0; c < CASES; c++) {
  const s = syntheticCase(100 + c);
  const id = `bench__${c}`;
  const pre = preprocessCase(
    { id, subjectId: id, image: { data: s.image, shape: [1, ...SHAPE], spacing: [1, 1, 1] }, anatomyMask: { data: s.anat, shape: SHAPE }, anonymizationMask: { data: s.anon, shape: SHAPE } },
    { transposeForward: [0, 1, 2], targetSpacing: null },
  );
  await writeCase(join(storeDir, `${id}.zarr`), pre);
  await writeCase(join(rawStoreDir, `${id}.zarr`), pre, { compressionLevel: 0 });
  writeFileSync(join(root, 'npy', `${id}.npy`), Buffer.concat([npyHeader(pre.shape.slice(1)), Buffer.from(pre.data.buffer)]));
  rawBytes += pre.data.byteLength + (pre.anon?.byteLength ?? 0) + (pre.anat?.byteLength ?? 0);
  cases.push({ id, subjectId: id, path: `${id}.zarr` });
}
const writeSeconds = (performance.now() - tWrite) / 1000;
for (const d of [storeDir, rawStoreDir]) {
  writeFileSync(join(d, 'manifest.json'), JSON.stringify({ formatVersion: 1, datasetName: 'bench', configuration: 'onemmiso', plansName: 'nnsslPlans', storage: {}, cases, failed: [] }));
}
const storeBytes = dirBytes(storeDir);
const rawStoreBytes = dirBytes(rawStoreDir);

// ---- loader --------------------------------------------------------------------------------------------
const MAE: Record<number, { crop: Shape3; spec: AugmentationSpec }> = {
  160: { crop: [257, 257, 257], spec: { module: '@openmind-ssl/augment', exportName: 'maeSpatialPipeline', args: [[160, 160, 160]] } },
  64: { crop: [103, 103, 103], spec: { module: '@openmind-ssl/augment', exportName: 'maeSpatialPipeline', args: [[64, 64, 64]] } },
};
let augmentAvailable = true;
try {
  const aug = (await import('@openmind-ssl/augment')) as Record<string, unknown>;
  augmentAvailable = typeof aug['maeSpatialPipeline'] === 'function' && typeof aug['maeInitialPatchSize'] === 'function';
  if (augmentAvailable) {
    const size = aug['maeInitialPatchSize'] as (p: Shape3) => Shape3;
    MAE[160]!.crop = [...size([160, 160, 160])];
    MAE[64]!.crop = [...size([64, 64, 64])];
  }
} catch {
  augmentAvailable = false;
}

interface Row {
  crop: number;
  store: 'gzip-1' | 'uncompressed';
  workers: number;
  augmentation: string;
  read_crop: number[];
  batches: number;
  seconds: number;
  patches_per_s: number;
  first_batch_s: number;
}
const rows: Row[] = [];
const configs: { crop: number; aug: string; workers: number; store: Row['store'] }[] = [];
for (const crop of [160, 64]) {
  for (const aug of augmentAvailable ? ['none', 'mae-spatial'] : ['none']) {
    for (const workers of [1, 2]) configs.push({ crop, aug, workers, store: 'gzip-1' });
  }
  configs.push({ crop, aug: 'none', workers: 1, store: 'uncompressed' });
}
for (const { crop, aug, workers, store } of configs) {
  const withAug = aug === 'mae-spatial';
  const batches = QUICK ? 2 : withAug ? (crop === 160 ? 4 : 12) : crop === 160 ? 16 : 80;
  const options: PatchLoaderOptions = {
    store: store === 'gzip-1' ? storeDir : rawStoreDir,
    batchSize: BATCH,
    patchSize: withAug ? MAE[crop]!.crop : [crop, crop, crop],
    finalPatchSize: [crop, crop, crop],
    workers,
    prefetch: 2 * workers,
    seed: 1,
    ...(withAug ? { augmentation: MAE[crop]!.spec } : {}),
  };
  const t0 = performance.now();
  const loader = await PatchLoader.open(options);
  await loader.next();
  const first = (performance.now() - t0) / 1000;
  await loader.next();
  const t = performance.now();
  for (let i = 0; i < batches; i++) await loader.next();
  const seconds = (performance.now() - t) / 1000;
  await loader.close();
  const row: Row = {
    crop, store, workers, augmentation: aug, read_crop: [...options.patchSize!], batches, seconds: +seconds.toFixed(2),
    patches_per_s: +((batches * BATCH) / seconds).toFixed(2), first_batch_s: +first.toFixed(2),
  };
  rows.push(row);
  console.log(`${crop}³ ${aug.padEnd(11)} ${store.padEnd(12)} ${workers} worker(s): ${row.patches_per_s} patches/s`);
}

// ---- references and preprocessing ----------------------------------------------------------------------
const ref: Record<number, number | null> = {};
for (const crop of [160, 64]) ref[crop] = python(['crop', join(root, 'npy'), `${crop}`, QUICK ? '4' : crop === 160 ? '30' : '200', `${BATCH}`])?.['patches_per_s'] ?? null;

const ppShape: Shape3 = [176, 256, 256];
const ppSpacing: Shape3 = [1.2, 0.9375, 0.9375];
const ppNew = computeNewShape(ppShape, ppSpacing, [1, 1, 1]);
const ppData = new Rng(3).fillNormal(new Float32Array(ppShape[0] * ppShape[1] * ppShape[2]));
const tr = performance.now();
resampleData(ppData, 1, ppShape, ppNew, ppSpacing, [1, 1, 1]);
const resampleSeconds = (performance.now() - tr) / 1000;
const refResample = python(['resample', ...ppShape.map(String), ...ppNew.map(String)])?.['seconds'] ?? null;
rmSync(root, { recursive: true, force: true });

const noAug = (crop: number, w: number) => rows.find((r) => r.crop === crop && r.workers === w && r.augmentation === 'none' && r.store === 'gzip-1')!.patches_per_s;
const result = {
  name: 'loader',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  logicalCores: availableParallelism(),
  loadAverageAtStart: loadAtStart,
  loadAverageAtEnd: loadavg().map((v) => +v.toFixed(2)),
  note: 'patches/s = samples per second the consumer receives when it takes batches as fast as they come (batch 2, prefetch 2·workers, after 2 warm-up batches); the machine may be shared with other jobs, so 2 workers cannot double on 2 cores',
  store: {
    cases: CASES, shape: SHAPE, dtype: 'float32', chunk: [32, 32, 32], maskChunk: [64, 64, 64], gzipLevel: 1,
    rawBytes, storeBytes, compressionRatio: +(rawBytes / storeBytes).toFixed(2), uncompressedStoreBytes: rawStoreBytes,
    writeSeconds_both_stores: +writeSeconds.toFixed(2),
  },
  rows,
  reference: {
    description: 'numpy random crops with zero padding from uncompressed .npy memmaps (page cache warm), one process, batch 2',
    patches_per_s: ref,
    ratio_ours_1worker_over_reference: Object.fromEntries([160, 64].map((c) => [c, ref[c] ? +(noAug(c, 1) / ref[c]!).toFixed(3) : null])),
  },
  resampling: {
    case: `${ppShape.join('×')} at ${ppSpacing.join('×')} mm → ${ppNew.join('×')} (1 mm), order 3, separable`,
    ours_s: +resampleSeconds.toFixed(2),
    reference: "scipy.ndimage.zoom(order=3, mode='nearest', grid_mode=True) + clip (skimage.resize as nnssl calls it), float64",
    reference_s: refResample === null ? null : +refResample.toFixed(2),
    ratio_ours_over_reference: refResample ? +(resampleSeconds / refResample).toFixed(3) : null,
  },
};
mkdirSync('bench/results', { recursive: true });
await writeResult('loader', result);
console.table(rows.map((r) => ({ crop: `${r.crop}³`, aug: r.augmentation, store: r.store, workers: r.workers, 'patches/s': r.patches_per_s })));
console.log(`reference (numpy memmap, 1 process): 160³ ${ref[160]?.toFixed(2)} patches/s, 64³ ${ref[64]?.toFixed(2)} patches/s`);
console.log(`store: ${(storeBytes / 1e6).toFixed(1)} MB for ${(rawBytes / 1e6).toFixed(1)} MB raw (×${result.store.compressionRatio})`);
console.log(`resampling ${result.resampling.case}: ours ${result.resampling.ours_s} s, scipy ${result.resampling.reference_s} s`);
