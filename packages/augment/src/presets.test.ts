import { describe, expect, it } from 'vitest';
import { Rng } from '@openmind-ssl/core';
import type { Sample } from '@openmind-ssl/core';
import { maeInitialPatchSize, maeSpatialPipeline, simclrCropAugmentation, volumeFusionAugmentation } from './presets.js';
import { SpatialTransform } from './spatial/spatial-transform.js';
import { randomVolume } from './test-helpers.js';

function sample(size: number, seed: number): Sample {
  const n = size ** 3;
  return {
    image: randomVolume(n, seed),
    shape: [1, size, size, size],
    masks: { anon: { data: new Uint8Array(n).map((_, i) => (i % 7 === 0 ? 1 : 0)), channels: 1 } },
  };
}

describe('maeInitialPatchSize', () => {
  it('should give the loader crop of nnssl for 160³ (257³)', () => {
    expect(maeInitialPatchSize()).toEqual([257, 257, 257]);
  });
});

describe('maeSpatialPipeline', () => {
  it("should use nnssl's MAE spatial settings", () => {
    const spatial = maeSpatialPipeline([16, 16, 16]).entries[0]!.transform as SpatialTransform;
    expect(spatial.options).toMatchObject({
      angleX: [-Math.PI / 6, Math.PI / 6], pRotationPerSample: 0.2, pRotationPerAxis: 1, scaleRange: [0.7, 1.4], pScalePerSample: 0.2,
    });
  });

  it('should turn the enlarged crop into the patch size with integer masks', () => {
    const pipeline = maeSpatialPipeline([12, 12, 12]);
    const rng = new Rng(91);
    for (let i = 0; i < 6; i++) {
      const out = pipeline.apply(sample(20, i), rng);
      expect(out.shape).toEqual([1, 12, 12, 12]);
      expect(out.masks?.anon?.data).toBeInstanceOf(Uint8Array);
      for (const v of out.masks!.anon!.data) expect(v === 0 || v === 1).toBe(true);
    }
  });
});

describe('simclrCropAugmentation', () => {
  it('should keep the crop shape and be deterministic for a seed', () => {
    const pipeline = simclrCropAugmentation();
    expect(pipeline.entries.map((e) => e.transform.name)).toEqual([
      'gaussian-noise', 'gaussian-blur', 'brightness-multiplicative', 'contrast', 'simulate-low-resolution',
      'gamma', 'gamma', 'mirror', 'mirror', 'mirror', 'rot90',
    ]);
    const input = sample(12, 1);
    for (let seed = 0; seed < 5; seed++) {
      const a = pipeline.apply(input, new Rng(seed));
      expect(a.shape).toEqual([1, 12, 12, 12]);
      expect(a.image).toEqual(pipeline.apply(input, new Rng(seed)).image);
    }
  });
});

describe('volumeFusionAugmentation', () => {
  it('should keep the shape', () => {
    const out = volumeFusionAugmentation().apply(sample(10, 2), new Rng(3));
    expect(out.shape).toEqual([1, 10, 10, 10]);
  });
});
