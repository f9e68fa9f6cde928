import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createSslMethod, Rng, setBackend, type SourceSample, type ViewSampler } from '@openmind-ssl/core';
import { gridCropsSampler, type PatchBatch } from '@openmind-ssl/data';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { overlapLabels, type VocoMethod, vocoFactory } from '../src/index.js';
import { methodLoader } from './store.js';

setBackend(new ReferenceBackend());

const method = (patch: [number, number, number], config: Record<string, unknown> = {}) => createSslMethod(vocoFactory, {
  config: { projectorDim: 16, ...config }, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: patch, rng: new Rng(0),
}) as VocoMethod;

/** The sampler the method's pipeline names, built as a data worker builds it. */
function samplerOf(m: VocoMethod): ViewSampler {
  const spec = m.dataPipeline().views!.sampler;
  expect(spec).toMatchObject({ module: '@openmind-ssl/data', exportName: 'gridCropsSampler' });
  return gridCropsSampler(...(spec.args as Parameters<typeof gridCropsSampler>));
}

describe('VoCo crop sampling', () => {
  it("should keep targets inside nnssl's 256×256×64 patch with labels that sum to 1 and equal the boxes' overlaps, over 2,000 draws", () => {
    const m = method([64, 64, 64]);
    expect(m.dataPipeline().loaderPatchSize).toEqual([256, 256, 64]);
    const sampler = samplerOf(m);
    // A zero-channel source: each draw costs only its boxes and labels, which are what is checked.
    const source: SourceSample = { image: new Float32Array(0), shape: [0, 256, 256, 64], caseId: 'c', targets: {} };
    const rng = new Rng(12);
    let spanning = 0;
    for (let draw = 0; draw < 2000; draw++) {
      const out = sampler.sample(source, rng.fork());
      expect(out.views['base']).toHaveLength(16);
      const boxes = out.targets!['targetBoxes']!.data;
      const labels = out.targets!['overlaps']!.data;
      expect(out.targets!['overlaps']!.shape).toEqual([4, 16]);
      const starts = [0, 1, 2, 3].map((t) => [boxes[6 * t]!, boxes[6 * t + 1]!, boxes[6 * t + 2]!]);
      for (let t = 0; t < 4; t++) {
        for (let d = 0; d < 3; d++) {
          const [lo, hi] = [boxes[6 * t + d]!, boxes[6 * t + d + 3]!];
          if (lo < 0 || hi > [256, 256, 64][d]! || hi - lo !== 64) throw new Error(`draw ${draw}, target ${t}: [${lo}, ${hi}) on axis ${d} leaves the patch`);
        }
        const row = labels.subarray(16 * t, 16 * t + 16);
        const total = row.reduce((a, b) => a + b, 0);
        if (Math.abs(total - 1) > 1e-6) throw new Error(`draw ${draw}, target ${t}: labels sum to ${total}`);
        if (row.filter((v) => v > 0).length === 4) spanning++;
      }
      expect(Array.from(labels)).toEqual(Array.from(overlapLabels(starts, [4, 4, 1], [64, 64, 64])));
    }
    // Targets straddle up to four base crops, as VoCo intends.
    expect(spanning).toBeGreaterThan(1000);
  });

  it('should give the same views and targets for a seed with 0, 1 and 2 data workers', async () => {
    const m = method([16, 16, 16], { grid: [2, 2, 1], targets: 2 });
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
      expect(a[i]!.views!['base']!.shape).toEqual([8, 1, 16, 16, 16]);
      expect(a[i]!.views!['target']!.shape).toEqual([4, 1, 16, 16, 16]);
      for (const other of [b, c]) {
        for (const v of ['base', 'target']) {
          expect(Buffer.from(other[i]!.views![v]!.data.buffer).equals(Buffer.from(a[i]!.views![v]!.data.buffer)), `batch ${i} view ${v}`).toBe(true);
        }
        expect(Array.from(other[i]!.targets!['overlaps']!.data)).toEqual(Array.from(a[i]!.targets!['overlaps']!.data));
      }
    }
  }, 300_000);
});
