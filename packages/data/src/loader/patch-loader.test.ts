import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preprocessDataset } from '../preprocess/preprocess-dataset.js';
import { writeSyntheticDataset } from '../preprocess/testing/synthetic-cases.js';
import { CaseReader } from '../store/case-reader.js';
import type { PatchBatch } from './build-batch.js';
import { openPreprocessedStore } from './open-store.js';
import { PatchLoader, type PatchLoaderOptions } from './patch-loader.js';
import { readPatch } from './read-patch.js';
import { createFlip } from './testing/flip-augmentation.js';

const root = mkdtempSync(join(tmpdir(), 'om-loader-'));
let store = '';
beforeAll(async () => {
  const input = await writeSyntheticDataset(join(root, 'raw'), { cases: 5, shape: [22, 20, 12], spacing: [1, 1, 1.4], noMaskCases: [3] });
  const summary = await preprocessDataset({ input, out: join(root, 'pp'), workers: 0 });
  store = summary.dataDir;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function take(options: PatchLoaderOptions, n: number): Promise<PatchBatch[]> {
  const loader = await PatchLoader.open(options);
  try {
    const out: PatchBatch[] = [];
    for (let i = 0; i < n; i++) out.push(await loader.next());
    return out;
  } finally {
    await loader.close();
  }
}

function same(a: PatchBatch[], b: PatchBatch[]): void {
  expect(b.map((x) => x.keys)).toEqual(a.map((x) => x.keys));
  for (let i = 0; i < a.length; i++) {
    expect(b[i]!.shape).toEqual(a[i]!.shape);
    expect(Buffer.from(b[i]!.data.buffer).equals(Buffer.from(a[i]!.data.buffer))).toBe(true);
    expect(Buffer.from(b[i]!.anon.buffer).equals(Buffer.from(a[i]!.anon.buffer))).toBe(true);
    expect(Buffer.from(b[i]!.anat.buffer).equals(Buffer.from(a[i]!.anat.buffer))).toBe(true);
  }
}

const base = () => ({ store, batchSize: 2, patchSize: [16, 16, 16] as [number, number, number], seed: 11 });

describe('PatchLoader', () => {
  describe('having the same seed', () => {
    it('should yield identical batches twice, with any number of workers', async () => {
      const a = await take({ ...base(), workers: 2 }, 6);
      const b = await take({ ...base(), workers: 2 }, 6);
      const d = await take({ ...base(), workers: 0 }, 6);
      same(a, b);
      same(a, d);
      expect(a[0]!.shape).toEqual([2, 1, 16, 16, 16]);
      const other = await take({ ...base(), seed: 12, workers: 0 }, 6);
      expect(other.some((x, i) => !Buffer.from(x.data.buffer).equals(Buffer.from(a[i]!.data.buffer)))).toBe(true);
    });
  });

  describe('having a warm queue', () => {
    it('should hand out a batch without waiting for one to be built', async () => {
      const loader = await PatchLoader.open({ ...base(), workers: 1, prefetch: 3 });
      try {
        // Right after opening nothing is built yet: next() has to wait (a macrotask passes first).
        const cold = loader.next();
        expect(await Promise.race([cold.then(() => 'batch'), new Promise((r) => setImmediate(() => r('tick')))])).toBe('tick');
        await cold;
        while (loader.readyCount < 3) await new Promise((r) => setTimeout(r, 5));
        // Warm: the batch is already there, so the promise settles within the current microtask queue,
        // before any I/O or timer callback could run.
        for (let i = 0; i < 3; i++) {
          const warm = loader.next();
          expect(await Promise.race([warm.then(() => 'batch'), new Promise((r) => setImmediate(() => r('tick')))])).toBe('batch');
        }
      } finally {
        await loader.close();
      }
    });
  });

  describe('having epochs', () => {
    it('should number batches as nnssl iterations and resume at a saved position', async () => {
      const loader = await PatchLoader.open({ ...base(), workers: 1, iterationsPerEpoch: 3 });
      const seen: [number, number, number][] = [];
      for (let e = 0; e < 2; e++) for await (const b of loader.epoch()) seen.push([b.iteration, b.epoch, b.step]);
      expect(seen).toEqual([[0, 0, 0], [1, 0, 1], [2, 0, 2], [3, 1, 0], [4, 1, 1], [5, 1, 2]]);
      expect(loader.position).toBe(6);
      await loader.close();
      const all = await take({ ...base(), workers: 0 }, 6);
      const resumed = await take({ ...base(), workers: 1, startIteration: 4 }, 2);
      same(all.slice(4), resumed);
    });
  });

  describe('having anatomy oversampling', () => {
    it('should centre every crop on an anatomy voxel at 1.0 and none at 0', async () => {
      const fraction = (bs: PatchBatch[]) => {
        let pos = 0;
        let n = 0;
        for (const b of bs) for (let i = 0; i < b.anat.length; i++) { n++; if (b.anat[i]! > 0) pos++; }
        return pos / n;
      };
      const opts = { ...base(), patchSize: [8, 8, 8] as [number, number, number], workers: 0 };
      const on = await take({ ...opts, anatomyOversampling: 1 }, 10);
      const off = await take({ ...opts, anatomyOversampling: 0 }, 10);
      // The case without masks falls back to a random crop.
      for (const b of on) b.keys.forEach((k, i) => expect(b.anatomyCentred[i]).toBe(!k.includes('sub-03')));
      expect(off.every((b) => b.anatomyCentred.every((v) => !v))).toBe(true);
      for (const b of on) {
        b.keys.forEach((_, i) => {
          if (!b.anatomyCentred[i]) return;
          // Crops are 8³ and volumes larger, so the centred crop starts at voxel − 4: its voxel [4, 4, 4] is anatomy.
          expect(b.anat[i * 512 + (4 * 8 + 4) * 8 + 4]).toBe(1);
        });
      }
      expect(fraction(on)).toBeGreaterThan(fraction(off));
    });
  });

  describe('having crops larger than the volume', () => {
    it('should pad the image with 0 and the masks with −1 around the whole volume', async () => {
      const s = openPreprocessedStore(store);
      const r = CaseReader.open(s.cases[0]!.dir);
      const [d0, d1, d2] = r.spatialShape;
      const p = await readPatch(r, [-2, -3, -1], [d0 + 4, d1 + 6, d2 + 2]);
      const full = r.data.read([0, 0, 0, 0], [1, d0, d1, d2]);
      const fullAnat = r.anat!.read([0, 0, 0, 0], [1, d0, d1, d2]);
      const [p0, p1, p2] = [d0 + 4, d1 + 6, d2 + 2];
      const wantData = new Float32Array(p0 * p1 * p2);
      const wantAnat = new Int8Array(p0 * p1 * p2).fill(-1);
      for (let i = 0; i < d0; i++) for (let j = 0; j < d1; j++) for (let k = 0; k < d2; k++) {
        const o = ((i + 2) * p1 + (j + 3)) * p2 + (k + 1);
        wantData[o] = full[(i * d1 + j) * d2 + k]!;
        wantAnat[o] = fullAnat[(i * d1 + j) * d2 + k]!;
      }
      expect(Array.from(p.data)).toEqual(Array.from(wantData));
      expect(Array.from(p.anat)).toEqual(Array.from(wantAnat));
      r.close();
    });
  });

  describe('having an augmentation', () => {
    it('should build it in each worker from a module spec and match the in-thread object', async () => {
      const spec = { module: fileURLToPath(new URL('./testing/flip-augmentation.ts', import.meta.url)), exportName: 'createFlip', args: [100] };
      const inWorkers = await take({ ...base(), workers: 2, augmentation: spec }, 4);
      const inThread = await take({ ...base(), workers: 0, augmentation: createFlip(100) }, 4);
      same(inWorkers, inThread);
      const plain = await take({ ...base(), workers: 0 }, 4);
      expect(inThread.some((b) => b.data.some((v) => v > 50))).toBe(true);
      expect(plain.some((b) => b.data.some((v) => v > 50))).toBe(false);
    });

    it('should refuse an Augmentation object when batches are built in workers', async () => {
      await expect(PatchLoader.open({ ...base(), workers: 1, augmentation: createFlip(1) })).rejects.toThrow(/module spec/);
    });
  });
});
