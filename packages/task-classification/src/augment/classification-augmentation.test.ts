import { type Augmentation, adaptationPlanOf, type LabelledCase, type Module, Rng, type Sample, setBackend } from '@openmind-ssl/core';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { nnunetTrainingAugmentation } from '@openmind-ssl/task-segmentation';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildClassifier } from '../network/build-classifier.js';
import { fineTuneClassifier } from '../training/fine-tune.js';
import { augmentCase, classificationTrainingAugmentation } from './classification-augmentation.js';

beforeAll(async () => {
  const backend = new OnnxRuntimeBackend();
  await backend.init();
  setBackend(backend);
});

describe('classificationTrainingAugmentation', () => {
  it("is nnU-Net's training list (task-segmentation's, finetune-spec §1.8) without its label step MaskImage, transform by transform and option by option", () => {
    const crop = [32, 32, 32] as const;
    const seg = nnunetTrainingAugmentation([...crop], [true]).transform.entries.map((e) => e.transform);
    expect(seg.at(-1)!.name).toBe('mask-image');
    const cls = classificationTrainingAugmentation(crop).entries;
    expect(cls.map((e) => e.p)).toEqual(seg.slice(0, -1).map(() => 1));
    expect(cls.map((e) => e.transform)).toEqual(seg.slice(0, -1));
    expect(cls.map((e) => e.transform.name)).toEqual([
      'spatial', 'gaussian-noise', 'gaussian-blur', 'brightness-multiplicative', 'contrast', 'simulate-low-resolution', 'gamma', 'gamma', 'mirror',
    ]);
  });

  it('keeps the crop size and the target, changes the image, and leaves the cached case as it was', () => {
    const image = new Rng(3).fillNormal(new Float32Array(2 * 12 ** 3));
    const c: LabelledCase = { id: 'a', image, shape: [2, 12, 12, 12], target: Int32Array.of(1) };
    const before = image.slice();
    const aug = classificationTrainingAugmentation([12, 12, 12]);
    const outs = Array.from({ length: 8 }, (_, i) => augmentCase(c, aug, new Rng([5, i])));
    for (const o of outs) {
      expect(o.shape).toEqual([2, 12, 12, 12]);
      expect(o.target).toBe(c.target);
    }
    // Mirroring alone flips an axis with probability ½ each: of 8 draws some differ from the input.
    expect(outs.some((o) => o.image.some((v, i) => v !== before[i]))).toBe(true);
    expect(image).toEqual(before);
  });
});

describe('fineTuneClassifier with an augmentation', () => {
  const values = async (m: Module) => new Map(await Promise.all([...m.stateDict()].map(async ([k, t]) => [k, Float32Array.from(await t.data() as Float32Array)] as const)));
  it('trains on the augmented copy of every drawn training case (and validates on the cases as they are)', async () => {
    const patch = [16, 16, 16] as const;
    const plan = adaptationPlanOf(resencFactory.create('resenc-tiny', { inChannels: 1, outChannels: 1, patchSize: patch, rng: new Rng(0) }), { inChannels: 1, patchSize: patch });
    const net = () => buildClassifier(plan, resencFactory, { classes: 2, inChannels: 1, patchSize: patch, dropout: 0, rng: new Rng(5) }).network;
    const rng = new Rng(2);
    const cases: LabelledCase[] = Array.from({ length: 4 }, (_, i) => ({ id: `c${i}`, image: rng.fillNormal(new Float32Array(16 ** 3)), shape: [1, 16, 16, 16] as const, target: Int32Array.of(i % 2) }));
    const negated = cases.map((c) => ({ ...c, image: c.image.map((v) => -v) }));
    const seen: string[] = [];
    // A deterministic stand-in: negate the image, so the result must equal training on negated cases.
    const negate: Augmentation = { name: 'negate', apply: (s: Sample) => { seen.push(String(s.image[0])); return { ...s, image: s.image.map((v) => -v) }; } };
    const options = { multilabel: false, mode: 'full' as const, epochs: 1, warmupEpochs: 0, lr: 1e-2, weightDecay: 1e-2, batchSize: 2, accumulate: 1, labelSmoothing: 0 };
    const a = net();
    const historyA = await fineTuneClassifier({ ...options, network: a, train: cases, val: cases, augmentation: negate, rng: new Rng(7) });
    const b = net();
    await fineTuneClassifier({ ...options, network: b, train: negated, val: cases, rng: new Rng(7) });
    expect(seen.sort()).toEqual(cases.map((c) => String(c.image[0])).sort());
    const va = await values(a);
    for (const [k, v] of await values(b)) expect(va.get(k), k).toEqual(v);
    expect(cases[0]!.image[0]).not.toBe(negated[0]!.image[0]);
    expect(historyA).toHaveLength(1);
  });
});
