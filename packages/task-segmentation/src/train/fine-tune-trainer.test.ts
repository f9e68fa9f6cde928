import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { Rng, setBackend, tensor } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { presetAdaptationPlan, segmentationPlan } from '../../test/support/plans.js';
import { syntheticSegmentationBatches } from '../../test/support/synthetic-batches.js';
import { buildSegmentationNetwork } from '../network/build-network.js';
import { fineTuneRecipe } from '../schedules/fine-tune-schedules.js';
import { splitParameters } from '../schedules/parameter-split.js';
import { type EpochRecord, FineTuneTrainer, TRAINING_LOG } from './fine-tune-trainer.js';
import { loadSegmentationModel } from './segmentation-model.js';

// The reference backend: exact and deterministic, so the resumed curve must match to float rounding.
setBackend(new ReferenceBackend());

const SIZE = 8;
const plan = segmentationPlan(presetAdaptationPlan(resencFactory, 'resenc-tiny', [SIZE, SIZE, SIZE]), { channels: 1, classes: 3, patch: [SIZE, SIZE, SIZE] });

function trainer(runDir: string, o: { failAt?: number; deepSupervision?: boolean; schedule?: string } = {}) {
  const { network, deepSupervision } = buildSegmentationNetwork(plan, resencFactory, { rng: new Rng(5), deepSupervision: o.deepSupervision ?? false });
  const recipe = fineTuneRecipe(o.schedule ?? 'warm-up', { epochs: 3, params: splitParameters(network), optimizer: 'sgd', pretrained: false, inChannelMismatch: false });
  const source = (seed: number, failAt?: number) => syntheticSegmentationBatches({ seed, batchSize: 2, channels: 1, size: SIZE, classes: 3, ...(failAt !== undefined ? { failAt } : {}) });
  return {
    network,
    t: new FineTuneTrainer({
      plan, network, deepSupervision, recipe, train: source(1, o.failAt), val: source(2), epochs: 3, iterationsPerEpoch: 2, valIterations: 2,
      runDir, seed: 0, checkpointEvery: 1, config: { schedule: o.schedule ?? 'warm-up' },
    }),
  };
}

const readLog = async (dir: string) => (await readFile(join(dir, TRAINING_LOG), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as EpochRecord);

describe('FineTuneTrainer', () => {
  let uninterrupted: EpochRecord[];
  let runDir: string;
  beforeAll(async () => {
    runDir = await mkdtemp(join(tmpdir(), 'om-seg-train-'));
    const { t } = trainer(runDir, { deepSupervision: true });
    uninterrupted = (await t.run()).log;
  });

  it('should log one line per epoch: train and validation loss, pseudo-Dice per class, its EMA, LR per group, phase', async () => {
    const log = await readLog(runDir);
    expect(log).toEqual(uninterrupted);
    expect(log.map((r) => r.epoch)).toEqual([0, 1, 2]);
    for (const r of log) {
      expect(Number.isFinite(r.trainLoss)).toBe(true);
      expect(Number.isFinite(r.valLoss)).toBe(true);
      expect(Object.keys(r.pseudoDice)).toEqual(['class1', 'class2']);
      expect(Object.keys(r.lr)).toEqual(['encoder', 'decoder']);
    }
    // Warm-up at 3 epochs: W = 1 (scaled from 15 of 150): from scratch 1e-2 at epoch 0, then Poly_offset(1e-2, 3, 1).
    expect(log[0]!.lr['decoder']).toBeCloseTo(1e-2, 12);
    expect(log[2]!.lr['encoder']).toBeCloseTo(1e-2 * 0.5 ** 0.9, 12);
    expect(log.map((r) => r.phase)).toEqual(['warmup_all', 'train', 'train']);
    // EMA as nnU-Net: the first epoch takes the mean, then 0.9/0.1.
    const means = log.map((r) => r.meanPseudoDice ?? NaN);
    if (!means.some(Number.isNaN)) {
      expect(log[0]!.emaPseudoDice).toBeCloseTo(means[0]!, 12);
      expect(log[1]!.emaPseudoDice).toBeCloseTo(0.9 * means[0]! + 0.1 * means[1]!, 12);
    }
  });

  it('should leave checkpoint_final and checkpoint_best, remove checkpoint_latest, and store the plan so loadSegmentationModel rebuilds the network', async () => {
    const names = await readdir(runDir);
    expect(names).toEqual(expect.arrayContaining(['checkpoint_final', 'checkpoint_best', 'plan.json', TRAINING_LOG]));
    expect(names).not.toContain('checkpoint_latest');
    const { network: trained } = trainer(await mkdtemp(join(tmpdir(), 'om-seg-unused-')), { deepSupervision: true });
    const loaded = await loadSegmentationModel(runDir, resencFactory);
    expect(loaded.plan).toEqual(plan);
    expect(loaded.deepSupervision).toBe(true);
    const x = tensor(Float32Array.from({ length: SIZE ** 3 }, (_, i) => Math.cos(i)), [1, 1, SIZE, SIZE, SIZE]);
    const a = await loaded.network.forward(x).data();
    // A freshly built network (other weights) differs; the loaded one equals checkpoint_final's weights.
    const b = await trained.forward(x).data();
    expect(Array.from(a)).not.toEqual(Array.from(b));
    const again = await (await loadSegmentationModel(join(runDir, 'checkpoint_final'), resencFactory)).network.forward(x).data();
    expect(Array.from(again)).toEqual(Array.from(a));
  });

  it('should continue the same curve after a kill mid-epoch and a resume from checkpoint_latest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'om-seg-resume-'));
    // Killed before step 4's batch (inside epoch 1): checkpoint_latest holds step 3.
    await expect(trainer(dir, { failAt: 3, deepSupervision: true }).t.run()).rejects.toThrow(/killed before batch 3/);
    expect((await readLog(dir)).length).toBe(1);
    const resumed = await trainer(dir, { deepSupervision: true }).t.run({ resume: true });
    expect(resumed.step).toBe(6);
    const log = await readLog(dir);
    expect(log.length).toBe(3);
    log.forEach((r, i) => {
      const u = uninterrupted[i]!;
      expect(r.lr).toEqual(u.lr);
      expect(Math.abs(r.trainLoss - u.trainLoss), `epoch ${i} train loss`).toBeLessThan(1e-5);
      expect(Math.abs(r.valLoss! - u.valLoss!), `epoch ${i} val loss`).toBeLessThan(1e-5);
      expect(r.emaPseudoDice === null ? null : Math.abs(r.emaPseudoDice - u.emaPseudoDice!)).toBeLessThan(1e-5);
    });
  });
});
