import { rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { adaptationPlanOf, Rng, setBackend } from '@openmind-ssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClassificationDataset } from '../data/classification-dataset.js';
import { buildClassifier } from '../network/build-classifier.js';
import { fineTuneClassifier } from '../training/fine-tune.js';
import { kFoldSplits } from '../training/k-fold.js';
import { generateClassificationDataset, SYNTH_CLASSES } from './synth-classification.js';

beforeAll(async () => {
  const backend = new OnnxRuntimeBackend();
  await backend.init();
  setBackend(backend);
});
const roots: string[] = [];
afterAll(async () => { for (const r of roots) await rm(r, { recursive: true, force: true }); });

const CHANCE = 0.5;
/** Held-out balanced accuracy a from-scratch ResEnc must reach on 20 validation cases (chance 0.5; 16 of 20 right is 0.8). */
const THRESHOLD = 0.8;

describe('synthetic classification data', () => {
  it('is balanced, in the folder format, and the classes have the same intensity statistics', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cls-synth-'));
    roots.push(root);
    const { labels } = await generateClassificationDataset(root, { cases: 8, size: 20, seed: 1 });
    expect([...labels.values()].filter((l) => l === SYNTH_CLASSES[1])).toHaveLength(4);
    const ds = await openClassificationDataset(root, { spacing: [1, 1, 1], cropSize: [16, 16, 16], normalization: 'head' });
    expect(ds.classes).toEqual([...SYNTH_CLASSES]);
    const bright = async (id: string) => { const c = await ds.read(id); return c.image.filter((v) => v > 1.5).length; };
    const counts = await Promise.all(ds.caseIds.map(bright));
    // Same lesion volume in both classes: bright-voxel counts overlap between the classes.
    const byClass = [0, 1].map((k) => counts.filter((_, i) => i % 2 === k));
    expect(Math.min(...byClass[0]!)).toBeLessThan(Math.max(...byClass[1]!));
    expect(Math.min(...byClass[1]!)).toBeLessThan(Math.max(...byClass[0]!));
  });

  it(`fine-tuning a ResEnc on it reaches a held-out balanced accuracy ≥ ${THRESHOLD} (chance ${CHANCE}) on onnxruntime`, async () => {
    const root = await mkdtemp(join(tmpdir(), 'cls-synth-'));
    roots.push(root);
    await generateClassificationDataset(root, { cases: 60, size: 20, seed: 7 });
    const ds = await openClassificationDataset(root, { spacing: [1, 1, 1], cropSize: [16, 16, 16], normalization: 'head' });
    const all = new Map(await Promise.all(ds.caseIds.map(async (id) => [id, await ds.read(id)] as const)));
    const [fold] = kFoldSplits(ds.caseIds, (id) => all.get(id)!.target[0]!, 3, new Rng(0));
    const patch = [16, 16, 16] as const;
    const plan = adaptationPlanOf(resencFactory.create('resenc-tiny', { inChannels: 1, outChannels: 1, patchSize: patch, rng: new Rng(0) }), { inChannels: 1, patchSize: patch });
    const { network } = buildClassifier(plan, resencFactory, { classes: 2, inChannels: 1, patchSize: patch, dropout: 0.2, rng: new Rng(3) });
    const history = await fineTuneClassifier({
      network, train: fold!.train.map((id) => all.get(id)!), val: fold!.val.map((id) => all.get(id)!), multilabel: false, mode: 'full',
      epochs: Number(process.env['CLS_EPOCHS'] ?? 15), warmupEpochs: 2, lr: 3e-3, weightDecay: 1e-2, batchSize: 4, accumulate: 1, labelSmoothing: 0, rng: new Rng(11),
      onEpoch: (r) => { if (process.env['CLS_VERBOSE']) console.log(r.epoch, r.trainLoss.toFixed(3), r.val.balancedAccuracy.toFixed(3), r.val.aurocMacro.toFixed(3)); },
    });
    const final = history.at(-1)!.val;
    expect(fold!.val).toHaveLength(20);
    expect(final.balancedAccuracy).toBeGreaterThanOrEqual(THRESHOLD);
  }, 600_000);
});
