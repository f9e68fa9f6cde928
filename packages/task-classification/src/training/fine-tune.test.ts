import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { adaptationPlanOf, type LabelledCase, type Module, Rng, setBackend } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { buildClassifier } from '../network/build-classifier.js';
import { fineTuneClassifier, type FineTuneOptions } from './fine-tune.js';
import { kFoldSplits } from './k-fold.js';

setBackend(new ReferenceBackend());

const patch = [16, 16, 16] as const;
const plan = adaptationPlanOf(resencFactory.create('resenc-tiny', { inChannels: 1, outChannels: 1, patchSize: patch, rng: new Rng(0) }), { inChannels: 1, patchSize: patch });
const values = async (m: Module) => new Map(await Promise.all([...m.stateDict()].map(async ([k, t]) => [k, Float32Array.from(await t.data() as Float32Array)] as const)));
const cases = (n: number, seed: number): LabelledCase[] => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => ({ id: `c${i}`, image: rng.fillNormal(new Float32Array(16 ** 3)), shape: [1, 16, 16, 16] as const, target: Int32Array.of(i % 2) }));
};
const classifier = (dropout: number) => buildClassifier(plan, resencFactory, { classes: 2, inChannels: 1, patchSize: patch, dropout, rng: new Rng(5) }).network;
const base = (network: ReturnType<typeof classifier>, train: LabelledCase[]): FineTuneOptions => ({
  network, train, val: train, multilabel: false, mode: 'full', epochs: 1, warmupEpochs: 0, lr: 1e-2, weightDecay: 1e-2, batchSize: 2, accumulate: 1, labelSmoothing: 0, rng: new Rng(1),
});

describe('fineTuneClassifier', () => {
  it('linear probe: the encoder is bit-identical after training, the head has moved', async () => {
    const network = classifier(0.2);
    const before = await values(network);
    await fineTuneClassifier({ ...base(network, cases(4, 2)), mode: 'linear-probe', epochs: 2, warmupEpochs: 1 });
    const after = await values(network);
    let moved = 0;
    for (const [k, v] of after) {
      if (k.startsWith('head.')) moved += v.some((x, i) => x !== before.get(k)![i]) ? 1 : 0;
      else expect(v, k).toEqual(before.get(k));
    }
    expect(moved).toBe(2);
  });

  it('full fine-tuning moves the encoder', async () => {
    const network = classifier(0.2);
    const before = await values(network);
    await fineTuneClassifier({ ...base(network, cases(2, 2)), epochs: 1 });
    const after = await values(network);
    expect([...after].some(([k, v]) => k.startsWith('encoder.') && v.some((x, i) => x !== before.get(k)![i]))).toBe(true);
  });

  it('full fine-tuning of a Primus classifier moves its embedding, blocks and LayerScale', async () => {
    const primusPlan = adaptationPlanOf(primusFactory.create('primus-tiny', { inChannels: 1, outChannels: 1, patchSize: patch, rng: new Rng(0) }), { inChannels: 1, patchSize: patch });
    const network = buildClassifier(primusPlan, primusFactory, { classes: 2, inChannels: 1, patchSize: patch, dropout: 0.2, rng: new Rng(5) }).network;
    const before = await values(network);
    await fineTuneClassifier({ ...base(network, cases(2, 2)), lr: 1e-3 });
    const after = await values(network);
    for (const k of ['down_projection.proj.weight', 'eva.blocks.0.gamma_1', 'eva.blocks.0.attn.norm.weight', 'head.fc.weight']) {
      expect(after.get(k)!.some((x, i) => x !== before.get(k)![i]), k).toBe(true);
    }
  });

  it('accumulating 2 micro-batches of 1 makes the same update as one batch of 2 (to 1e-6)', async () => {
    const data = cases(2, 3);
    const one = classifier(0);
    await fineTuneClassifier({ ...base(one, data), batchSize: 2, rng: new Rng(7) });
    const two = classifier(0);
    await fineTuneClassifier({ ...base(two, data), batchSize: 1, accumulate: 2, rng: new Rng(7) });
    const a = await values(one);
    const b = await values(two);
    let changed = 0;
    const init = await values(classifier(0));
    for (const [k, v] of a) {
      v.forEach((x, i) => expect(Math.abs(x - b.get(k)![i]!), k).toBeLessThan(1e-6));
      if (v.some((x, i) => x !== init.get(k)![i])) changed++;
    }
    expect(changed).toBeGreaterThan(5);
  });
});

describe('kFoldSplits', () => {
  it('validates every case once, keeps the class balance per fold, and is seeded', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const cls = (id: string) => Number(id.slice(1)) % 2;
    const folds = kFoldSplits(ids, cls, 3, new Rng(0));
    expect(folds.flatMap((f) => f.val).sort()).toEqual(ids);
    for (const f of folds) {
      expect(f.val.filter((id) => cls(id) === 1)).toHaveLength(2);
      expect(new Set([...f.train, ...f.val]).size).toBe(12);
    }
    expect(kFoldSplits(ids, cls, 3, new Rng(0))).toEqual(folds);
    expect(() => kFoldSplits(ids, cls, 1, new Rng(0))).toThrow(/folds: k must be/);
  });
});
