import { describe, expect, it } from 'vitest';
import { OpenMindError, Rng } from '@openmind-ssl/core';
import { randomVolume } from '../test-helpers.js';
import { cropVolume } from './crop.js';
import { SpatialTransform } from './spatial-transform.js';

describe('SpatialTransform', () => {
  describe('.draw', () => {
    it('should fire with probability 1 - (1 - pRot)(1 - pScale) over 10,000 draws (nnssl: 0.36 ± 0.02)', () => {
      const t = new SpatialTransform({ patchSize: [8, 8, 8], pRotationPerSample: 0.2, pScalePerSample: 0.2 });
      const rng = new Rng(11);
      let fired = 0;
      for (let i = 0; i < 10_000; i++) if (t.draw(rng)) fired++;
      expect(Math.abs(fired / 10_000 - 0.36)).toBeLessThan(0.02);
    });

    it('should draw angles inside their ranges and half the scales below 1', () => {
      const t = new SpatialTransform({ patchSize: [8, 8, 8], angleX: [-0.5, 0.5], angleY: [0, 0.1], angleZ: [-1, -0.9], scaleRange: [0.7, 1.4] });
      const rng = new Rng(12);
      let below = 0;
      let outside = 0;
      for (let i = 0; i < 2000; i++) {
        const { angles: [ax, ay, az], scale } = t.draw(rng)!;
        if (Math.abs(ax) > 0.5 || ay < 0 || ay > 0.1 || az < -1 || az > -0.9 || scale < 0.7 || scale >= 1.4) outside++;
        if (scale < 1) below++;
      }
      expect(outside).toBe(0);
      expect(Math.abs(below / 2000 - 0.5)).toBeLessThan(0.04);
    });

    it('should leave every angle at 0 when pRotationPerAxis is 0', () => {
      const t = new SpatialTransform({ patchSize: [8, 8, 8], pRotationPerAxis: 0, doScale: false });
      expect(t.draw(new Rng(1))).toEqual({ angles: [0, 0, 0], scale: 1 });
    });
  });

  describe('.apply', () => {
    it('should centre-crop without interpolation when nothing fires (offset (shape - patch) // 2)', () => {
      const image = randomVolume(21 ** 3, 5);
      const labels = new Uint8Array(21 ** 3).map((_, i) => i % 3);
      const t = new SpatialTransform({ patchSize: [16, 16, 16], pRotationPerSample: 0, pScalePerSample: 0 });
      const out = t.apply({ image, shape: [1, 21, 21, 21], masks: { seg: { data: labels, channels: 1 } } }, new Rng(3));
      expect(out.image).toEqual(cropVolume(image, [1, 21, 21, 21], [2, 2, 2], [16, 16, 16]));
      expect(out.masks?.seg?.data).toEqual(cropVolume(labels, [1, 21, 21, 21], [2, 2, 2], [16, 16, 16]));
    });

    it('should produce the patch size and integer masks when it fires', () => {
      const t = new SpatialTransform({ patchSize: [10, 12, 8], pRotationPerSample: 1, pScalePerSample: 1 });
      const out = t.apply(
        { image: randomVolume(16 ** 3, 6), shape: [1, 16, 16, 16], masks: { anat: { data: new Int32Array(16 ** 3).fill(2), channels: 1 } } },
        new Rng(4),
      );
      expect(out.shape).toEqual([1, 10, 12, 8]);
      expect(out.masks?.anat?.data).toBeInstanceOf(Int32Array);
      expect(out.masks?.anat?.data.length).toBe(10 * 12 * 8);
    });

    it('should be deterministic for a seed', () => {
      const t = new SpatialTransform({ patchSize: [8, 8, 8] });
      const sample = { image: randomVolume(12 ** 3, 7), shape: [1, 12, 12, 12] as const };
      expect(t.apply(sample, new Rng(99)).image).toEqual(t.apply(sample, new Rng(99)).image);
    });

    it('should reject a sample whose data does not match its shape', () => {
      const t = new SpatialTransform({ patchSize: [8, 8, 8] });
      expect(() => t.apply({ image: new Float32Array(10), shape: [1, 8, 8, 8] }, new Rng(1))).toThrow(OpenMindError);
    });
  });

  it('should keep a default when an option is passed as undefined', () => {
    expect(new SpatialTransform({ patchSize: [8, 8, 8], scaleRange: undefined }).options.scaleRange).toEqual([0.75, 1.25]);
  });

  it('should reject probabilities outside [0, 1] instead of clamping', () => {
    expect(() => new SpatialTransform({ patchSize: [8, 8, 8], pScalePerSample: 1.5 })).toThrow(/pScalePerSample must be a probability/);
  });
});
