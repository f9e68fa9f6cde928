import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostBatch, SampledViews, ViewSampler } from '@openmind-ssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preprocessDataset } from '../preprocess/preprocess-dataset.js';
import { writeSyntheticDataset } from '../preprocess/testing/synthetic-cases.js';
import { CaseReader } from '../store/case-reader.js';
import { writeCase } from '../store/case-writer.js';
import { STORE_MANIFEST, type StoreManifest } from '../store/store-manifest.js';
import { toHostBatch } from './host-batch.js';
import { openPreprocessedStore } from './open-store.js';
import { PatchLoader, type PatchLoaderOptions } from './patch-loader.js';

const root = mkdtempSync(join(tmpdir(), 'om-views-'));
let store = '';
const classOf = new Map<string, number>();

// A store whose cases carry a class label (manifest) and a segmentation map (labels/seg = anatomy > 0).
beforeAll(async () => {
  const input = await writeSyntheticDataset(join(root, 'raw'), { cases: 4, shape: [22, 20, 12], spacing: [1, 1, 1.4], noMaskCases: [3] });
  store = (await preprocessDataset({ input, out: join(root, 'pp'), workers: 0 })).dataDir;
  const manifestFile = join(store, STORE_MANIFEST);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as StoreManifest;
  for (const [i, c] of manifest.cases.entries()) {
    classOf.set(c.id, i % 3);
    c.targets = { class: i % 3 };
    const dir = join(store, c.path);
    const r = CaseReader.open(dir);
    const [C, d0, d1, d2] = r.data.shape as [number, number, number, number];
    const full = (a: CaseReader['anon']) => (a ? (a.read([0, 0, 0, 0], [1, d0, d1, d2]) as Int8Array) : null);
    const anat = full(r.anat);
    const seg = Int8Array.from(anat ?? new Int8Array(d0 * d1 * d2), (v) => (v > 0 ? 1 : 0));
    const rewritten = {
      data: r.data.read([0, 0, 0, 0], [C, d0, d1, d2]) as Float32Array, shape: [C, d0, d1, d2] as [number, number, number, number],
      anon: full(r.anon), anat, anatomyLocations: r.anatomyLocations(), properties: r.properties, labels: { seg: { data: seg, channels: 1 } },
    };
    r.close();
    await writeCase(dir, rewritten, manifest.storage);
  }
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const flip = (offset: number) => ({ module: fileURLToPath(new URL('./testing/flip-augmentation.ts', import.meta.url)), exportName: 'createFlip', args: [offset] });
const sampler = { module: '@openmind-ssl/data', exportName: 'overlappingCropsSampler', args: [{ cropSize: [8, 8, 8], pairs: 2, minOverlap: 0.5 }] };
const twoViews = (augment: boolean) => ({
  sampler,
  views: [
    { name: 'reference', crops: 2, ...(augment ? { augmentation: flip(100) } : {}) },
    { name: 'overlap', crops: 2, ...(augment ? { augmentation: flip(-50) } : {}) },
  ],
});
const base = () => ({ store, batchSize: 2, patchSize: [16, 16, 12] as [number, number, number], seed: 5 });

async function take(options: PatchLoaderOptions, n: number): Promise<HostBatch[]> {
  const loader = await PatchLoader.open(options);
  try {
    const out: HostBatch[] = [];
    for (let i = 0; i < n; i++) out.push(toHostBatch(await loader.next()));
    return out;
  } finally {
    await loader.close();
  }
}

/** Every array of a batch's views and targets, by name, as bytes. */
function bytes(b: HostBatch): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const add = (k: string, a: ArrayBufferView) => (out[k] = Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  for (const [v, view] of Object.entries(b.views ?? {})) {
    add(`${v}.image`, view.image);
    for (const [m, mask] of Object.entries(view.masks ?? {})) add(`${v}.${m}`, mask);
    for (const [l, label] of Object.entries(view.labels ?? {})) add(`${v}.${l}`, label.data);
  }
  for (const [t, target] of Object.entries(b.targets ?? {})) add(`target.${t}`, target.data);
  return out;
}

/** Mirrors the last axis of [n, 8, 8, 8] crops. */
function mirrorLast(a: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < a.length; r += 8) for (let k = 0; k < 8; k++) out[r + k] = a[r + 7 - k]!;
  return out;
}

describe('PatchLoader with views', () => {
  it('should deliver two overlapping views, each augmented by its own pipeline, with targets and labels in HostBatch', async () => {
    const augmented = await take({ ...base(), workers: 2, views: twoViews(true) }, 3);
    const plain = await take({ ...base(), workers: 0, views: twoViews(false) }, 3);
    const flipped = { reference: 0, overlap: 0 };
    for (const [i, b] of augmented.entries()) {
      const p = plain[i]!;
      expect(Object.keys(b.views!)).toEqual(['reference', 'overlap']);
      for (const [name, offset] of [['reference', 100], ['overlap', -50]] as const) {
        const v = b.views![name]!;
        expect(v.shape).toEqual([4, 1, 8, 8, 8]);
        expect(v.crops).toBe(2);
        expect(v.masks!.anatomy).toHaveLength(4 * 512);
        expect(v.labels!['seg']!.shape).toEqual([4, 1, 8, 8, 8]);
        // The segmentation map was cut and mirrored with the crop: it still marks the crop's anatomy voxels.
        expect(Array.from(v.labels!['seg']!.data, (x) => (x > 0 ? 1 : 0))).toEqual(Array.from(v.masks!.anatomy!));
        // Each crop is the unaugmented crop, or its mirror shifted by this view's offset.
        const mirrored = mirrorLast(p.views![name]!.image);
        for (let c = 0; c < 4; c++) {
          const got = Array.from(v.image.subarray(c * 512, (c + 1) * 512));
          const asIs = Array.from(p.views![name]!.image.subarray(c * 512, (c + 1) * 512));
          if (got.every((x, k) => x === asIs[k])) continue;
          const want = Array.from(mirrored.subarray(c * 512, (c + 1) * 512), (x) => Math.fround(x + offset));
          expect(got).toEqual(want);
          flipped[name]++;
        }
      }
      // The first view is mirrored in the single-view fields.
      expect(b.image).toBe(b.views!['reference']!.image);
      expect(b.shape).toEqual([4, 1, 8, 8, 8]);
      // Targets: the dataset's class label and the sampler's boxes and overlaps, one row per sample.
      const keys = p.targets!;
      expect(b.targets!['class']).toMatchObject({ shape: [2, 1], dtype: 'int32' });
      expect(Array.from(b.targets!['class']!.data)).toEqual(Array.from(keys['class']!.data));
      expect(b.targets!['referenceBoxes']).toMatchObject({ shape: [2, 2, 6], dtype: 'int32' });
      expect(b.targets!['overlapFractions']).toMatchObject({ shape: [2, 2], dtype: 'float32' });
      // The crop pairs share the voxels the boxes say they share (unaugmented crops).
      const rb = p.targets!['referenceBoxes']!.data;
      const ob = p.targets!['overlapBoxes']!.data;
      for (let j = 0; j < 4; j++) {
        const r = Array.from(rb.subarray(6 * j, 6 * j + 3));
        const o = Array.from(ob.subarray(6 * j, 6 * j + 3));
        const x = Math.max(r[0]!, o[0]!), y = Math.max(r[1]!, o[1]!), z = Math.max(r[2]!, o[2]!);
        const at = (s: number[], c: number) => c * 512 + ((x - s[0]!) * 8 + (y - s[1]!)) * 8 + (z - s[2]!);
        expect(p.views!['overlap']!.image[at(o, j)]).toBe(p.views!['reference']!.image[at(r, j)]);
      }
    }
    // 12 crops per view, each mirrored with probability 1/2.
    expect(flipped.reference).toBeGreaterThan(0);
    expect(flipped.overlap).toBeGreaterThan(0);
    // Class labels are those of the batch's cases.
    const loader = await PatchLoader.open({ ...base(), workers: 0 });
    const keysOfFirst = (await loader.next()).keys;
    await loader.close();
    expect(Array.from((await take({ ...base(), workers: 0 }, 1))[0]!.targets!['class']!.data)).toEqual(keysOfFirst.map((k) => classOf.get(k)));
  });

  it('should give the same views and targets with 0, 1 and 2 workers', async () => {
    const runs = await Promise.all([0, 1, 2].map((workers) => take({ ...base(), workers, views: twoViews(true) }, 4)));
    const [a, b, c] = runs.map((r) => r.map(bytes));
    expect(Object.keys(a![0]!).length).toBeGreaterThan(10);
    for (let i = 0; i < 4; i++) {
      for (const k of Object.keys(a![i]!)) {
        expect(b![i]![k]!.equals(a![i]![k]!), `batch ${i} ${k}, 1 worker`).toBe(true);
        expect(c![i]![k]!.equals(a![i]![k]!), `batch ${i} ${k}, 2 workers`).toBe(true);
      }
    }
    const other = (await take({ ...base(), seed: 6, workers: 0, views: twoViews(true) }, 1)).map(bytes)[0]!;
    expect(other['reference.image']!.equals(a![0]!['reference.image']!)).toBe(false);
  });

  it('should carry the case targets and label volumes in a single-view batch', async () => {
    const [b] = await take({ ...base(), workers: 1, caseTargets: {} }, 1);
    expect(b!.views).toBeUndefined();
    expect(b!.labels!['seg']!.shape).toEqual([2, 1, 16, 16, 12]);
    expect(Array.from(b!.labels!['seg']!.data, (x) => (x > 0 ? 1 : 0))).toEqual(Array.from(b!.masks!.anatomy!));
    expect(b!.targets!['class']!.shape).toEqual([2, 1]);
    const ids = openPreprocessedStore(store).cases.map((c) => c.id);
    const [o] = await take({ ...base(), workers: 0, caseTargets: Object.fromEntries(ids.map((id) => [id, { class: 7, weight: { data: [0.5, 2], dtype: 'float32' as const } }])) }, 1);
    expect(Array.from(o!.targets!['class']!.data)).toEqual([7, 7]);
    expect(o!.targets!['weight']).toMatchObject({ shape: [2, 2], dtype: 'float32' });
  });

  describe('having a bad view pipeline', () => {
    const wrong: ViewSampler = { name: 'wrong', sample: (s): SampledViews => ({ views: { reference: [s] } }) };
    it('should name the views a sampler failed to return', async () => {
      const loader = await PatchLoader.open({ ...base(), workers: 0, views: { sampler: wrong, views: [{ name: 'reference' }, { name: 'overlap' }] } });
      await expect(loader.next()).rejects.toThrow(/view sampler "wrong" must return the views \[reference, overlap\], but returned \[reference\]/);
      await loader.close();
    });

    it('should refuse objects with workers, duplicate names, augmentation with views, and bad case targets', async () => {
      await expect(PatchLoader.open({ ...base(), workers: 1, views: { sampler: wrong, views: [{ name: 'reference' }] } })).rejects.toThrow(/module specs.*view sampler "wrong"/);
      await expect(PatchLoader.open({ ...base(), workers: 0, views: { sampler, views: [{ name: 'a' }, { name: 'a' }] } })).rejects.toThrow(/"a" appears twice/);
      await expect(PatchLoader.open({ ...base(), workers: 0, augmentation: flip(1), views: twoViews(false) })).rejects.toThrow(/not both/);
      const id = openPreprocessedStore(store).cases[0]!.id;
      await expect(PatchLoader.open({ ...base(), workers: 0, caseTargets: { [id]: { class: 1.5 } } })).rejects.toThrow(new RegExp(`target "class" of case "${id}" in caseTargets must hold int32 values`));
    });
  });
});
