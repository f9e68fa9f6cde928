import { Rng, type Augmentation } from '@openmind-ssl/core';
import {
  BrightnessMultiplicativeTransform, ContrastTransform, GammaTransform, GaussianBlurTransform, GaussianNoiseTransform, MirrorTransform, SimulateLowResolutionTransform, SpatialTransform,
} from '@openmind-ssl/augment';
import { describe, expect, it } from 'vitest';
import { SegmentationBatchGenerator, segmentationBatches } from '../sampling/batch-generator.js';
import { testSegPlan } from '../testing/adaptation-plan.js';
import { makeCase } from '../testing/make-case.js';
import { MaskImageTransform } from './mask-image.js';
import { nnunetTrainingAugmentation } from './training-augmentation.js';

describe('nnunetTrainingAugmentation', () => {
  it('should list nnU-Net\'s transforms in order with their probabilities and crop 257³ for 160³', () => {
    const aug = nnunetTrainingAugmentation([160, 160, 160], [true]);
    expect(aug.cropSize).toEqual([257, 257, 257]);
    expect(aug.dummy2d).toBe(false);
    const t = aug.transform.entries.map((e) => e.transform);
    const kinds = [SpatialTransform, GaussianNoiseTransform, GaussianBlurTransform, BrightnessMultiplicativeTransform, ContrastTransform, SimulateLowResolutionTransform, GammaTransform, GammaTransform, MirrorTransform, MaskImageTransform];
    expect(t.length).toBe(kinds.length);
    t.forEach((x, i) => expect(x).toBeInstanceOf(kinds[i]!));
    const spatial = t[0] as SpatialTransform;
    expect(spatial.options).toMatchObject({ patchSize: [160, 160, 160], pRotationPerSample: 0.2, pScalePerSample: 0.2, scaleRange: [0.7, 1.4] });
    expect(spatial.options.angleX[1]).toBeCloseTo(Math.PI / 6, 12);
    // Some transforms keep their options as fields, others in `options`.
    const p = (x: Augmentation) => { const o = x as unknown as { p?: number; options?: { p: number } }; return o.p ?? o.options!.p; };
    expect([1, 2, 3, 4, 5, 6, 7].map((i) => p(t[i]!))).toEqual([0.1, 0.2, 0.15, 0.15, 0.25, 0.1, 0.3]);
    expect((t[6] as GammaTransform).options.invertImage).toBe(true);
    expect((t[7] as GammaTransform).options.invertImage).toBe(false);
    expect((t[8] as MirrorTransform).axes).toEqual([0, 1, 2]);
    expect(nnunetTrainingAugmentation([160, 160, 160], [false]).transform.entries.length).toBe(9);
  });

  it('should keep axis 0 of a flat patch and rotate about it only (dummy 2-D)', () => {
    const aug = nnunetTrainingAugmentation([8, 64, 64]);
    expect(aug.dummy2d).toBe(true);
    expect(aug.cropSize[0]).toBe(8);
    expect(aug.cropSize[1]).toBeGreaterThan(64);
    const spatial = aug.transform.entries[0]!.transform as SpatialTransform;
    expect(spatial.options.angleY).toEqual([0, 0]);
  });

  it('should move image and label together, labels staying integers of the input set', () => {
    const { transform } = nnunetTrainingAugmentation([12, 12, 12]);
    const spatial = transform.entries[0]!.transform;
    const mirror = transform.entries[8]!.transform;
    const c = makeCase('a', [20, 20, 20], { at: [[6, 6, 6]], size: 8, outside: 3 });
    const label = Int32Array.from(c.label);
    const image = Float32Array.from(label, (v) => (v === 1 ? 1 : 0));
    let agree = 0;
    let total = 0;
    for (let s = 0; s < 12; s++) {
      const rng = new Rng(s);
      let out = spatial.apply({ image, shape: [1, 20, 20, 20], masks: { label: { data: label, channels: 1 } } }, rng.fork());
      out = mirror.apply(out, rng.fork());
      const seg = out.masks!['label']!.data;
      expect(new Set(seg).size).toBeLessThanOrEqual(3);
      expect([...seg].every((v) => v === -1 || v === 0 || v === 1)).toBe(true);
      for (let i = 0; i < seg.length; i++) {
        total++;
        if ((seg[i] === 1) === (out.image[i]! > 0.5)) agree++;
      }
    }
    // Cubic image vs per-label linear label interpolation differ only on boundary voxels.
    expect(agree / total).toBeGreaterThan(0.97);
  });
});

describe('MaskImageTransform', () => {
  it('should zero the masked channels where the label is negative', () => {
    const image = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const out = new MaskImageTransform([1]).apply({ image, shape: [2, 1, 2, 2], masks: { label: { data: Int32Array.from([-1, 0, -1, 1]), channels: 1 } } });
    expect(Array.from(out.image)).toEqual([1, 2, 3, 4, 0, 6, 0, 8]);
  });
});

describe('SegmentationBatchGenerator with augment', () => {
  it('should crop the enlarged patch, augment to the network patch, keep foreground in forced samples, deterministically', () => {
    const cases = [makeCase('a', [32, 32, 32], { at: [[20, 8, 12]], size: 4, outside: 4 }), makeCase('b', [28, 30, 26], { at: [[5, 20, 6]], size: 4, seed: 9 })];
    const plan = { ...testSegPlan(), patchSize: [16, 16, 16] as [number, number, number], useMaskForNorm: [true] };
    const g = segmentationBatches(cases, plan, { seed: 5, mode: 'train', batchSize: 2 });
    expect(g.options.cropSize).toEqual([25, 25, 25]);
    const n = 16 ** 3;
    let withFg = 0;
    for (let i = 0; i < 12; i++) {
      const b = g.batch(i);
      expect(b.shape).toEqual([2, 1, 16, 16, 16]);
      expect(b.label.every((v) => v === 0 || v === 1)).toBe(true);
      if (b.label.subarray(n, 2 * n).includes(1)) withFg++;
    }
    // The forced sample is centred on a lesion voxel; rotation keeps the centre, scaling can shrink the lesion.
    expect(withFg).toBeGreaterThanOrEqual(11);
    expect(Array.from(segmentationBatches(cases, plan, { seed: 5, mode: 'train', batchSize: 2 }).batch(3).image)).toEqual(Array.from(g.batch(3).image));
    const val = segmentationBatches(cases, plan, { seed: 5, mode: 'val' });
    expect(val.options.cropSize).toEqual([16, 16, 16]);
    expect(val.options.transform).toBeNull();
    expect(new SegmentationBatchGenerator(cases, { patchSize: [16, 16, 16], batchSize: 1, seed: 1, augment: true }).options.cropSize).toEqual([25, 25, 25]);
  });
});
