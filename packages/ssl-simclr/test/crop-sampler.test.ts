import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createSslMethod, Rng, setBackend, type SourceSample, type ViewSampler } from '@openmind-ssl/core';
import { overlappingCropsSampler, type PatchBatch } from '@openmind-ssl/data';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { type SimclrMethod, simclrFactory } from '../src/index.js';
import { methodLoader } from './store.js';

setBackend(new ReferenceBackend());

const method = (patch: [number, number, number], config: Record<string, unknown> = {}) => createSslMethod(simclrFactory, {
  config: { projectorDim: 16, ...config }, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: patch, rng: new Rng(0),
}) as SimclrMethod;

/** The sampler the method's pipeline names, built as a data worker builds it (its export called with the spec's args). */
function samplerOf(m: SimclrMethod): ViewSampler {
  const spec = m.dataPipeline().views!.sampler;
  expect(spec).toMatchObject({ module: '@openmind-ssl/data', exportName: 'overlappingCropsSampler' });
  return overlappingCropsSampler(...(spec.args as Parameters<typeof overlappingCropsSampler>));
}

describe('SimCLR crop sampling', () => {
  it("should overlap every pair by ≥ 32 voxels per axis and keep crops inside nnssl's 192×192×64 patch over 10,000 draws", () => {
    const m = method([64, 64, 64]);
    expect(m.dataPipeline().loaderPatchSize).toEqual([192, 192, 64]);
    const sampler = samplerOf(m);
    // A zero-channel source: each draw costs only its boxes, which is what is checked here (the data
    // package's tests check that crops hold their boxes' voxels).
    const source: SourceSample = { image: new Float32Array(0), shape: [0, 192, 192, 64], caseId: 'c', targets: {} };
    const rng = new Rng(11);
    const least = [Infinity, Infinity, Infinity];
    const starts = new Set<number>();
    for (let draw = 0; draw < 10_000; draw++) {
      const out = sampler.sample(source, rng.fork());
      const rb = out.targets!['referenceBoxes']!.data;
      const ob = out.targets!['overlapBoxes']!.data;
      expect(rb.length).toBe(12);
      for (let j = 0; j < 2; j++) {
        for (let d = 0; d < 3; d++) {
          const [r0, r1, o0, o1] = [rb[6 * j + d]!, rb[6 * j + d + 3]!, ob[6 * j + d]!, ob[6 * j + d + 3]!];
          if (r0 < 0 || o0 < 0 || r1 > [192, 192, 64][d]! || o1 > [192, 192, 64][d]! || r1 - r0 !== 64 || o1 - o0 !== 64) {
            throw new Error(`draw ${draw}, pair ${j}, axis ${d}: boxes [${r0}, ${r1}) and [${o0}, ${o1}) leave the patch or are not 64 long`);
          }
          least[d] = Math.min(least[d]!, Math.min(r1, o1) - Math.max(r0, o0));
        }
        starts.add(ob[6 * j]! - rb[6 * j]!);
      }
    }
    expect(least[0]).toBeGreaterThanOrEqual(32);
    expect(least[1]).toBeGreaterThanOrEqual(32);
    // The z axis has no room (64 of 64): every crop spans it.
    expect(least[2]).toBe(64);
    // The bound is reached and the shifts cover −32 … 32, so the guarantee is tight, not accidental.
    expect(Math.min(least[0]!, least[1]!)).toBe(32);
    expect(Math.min(...starts)).toBe(-32);
    expect(Math.max(...starts)).toBe(32);
  });

  it('should give the same views and targets for a seed with 0, 1 and 2 data workers', async () => {
    const m = method([16, 16, 16]);
    const take = async (workers: number) => {
      const loader = await methodLoader(m, { seed: 5, batchSize: 2, workers });
      try {
        const batches: PatchBatch[] = [];
        for (let i = 0; i < 3; i++) batches.push(await loader.next());
        return batches;
      } finally {
        await loader.close();
      }
    };
    const [a, b, c] = [await take(0), await take(1), await take(2)];
    for (let i = 0; i < 3; i++) {
      for (const other of [b, c]) {
        for (const v of ['reference', 'overlap']) {
          expect(other[i]!.views![v]!.shape).toEqual([4, 1, 16, 16, 16]);
          expect(Buffer.from(other[i]!.views![v]!.data.buffer).equals(Buffer.from(a[i]!.views![v]!.data.buffer)), `batch ${i} view ${v}`).toBe(true);
        }
        expect(Array.from(other[i]!.targets!['overlapBoxes']!.data)).toEqual(Array.from(a[i]!.targets!['overlapBoxes']!.data));
      }
    }
    // The pipeline really augments: the same crops without augmentation differ.
    const plain = await (async () => {
      const loader = await methodLoader(method([16, 16, 16], { augment: false }), { seed: 5, batchSize: 2, workers: 0 });
      try { return await loader.next(); } finally { await loader.close(); }
    })();
    expect(Array.from(plain.targets!['referenceBoxes']!.data)).toEqual(Array.from(a[0]!.targets!['referenceBoxes']!.data));
    expect(Buffer.from(plain.views!['reference']!.data.buffer).equals(Buffer.from(a[0]!.views!['reference']!.data.buffer))).toBe(false);
  }, 300_000);
});
