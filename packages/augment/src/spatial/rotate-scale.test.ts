import { describe, expect, it } from 'vitest';
import type { Sample } from '@openmind-ssl/core';
import { fixtureLabels, fixtureVolume, loadScipyFixture, maxAbsDiff, randomVolume } from '../test-helpers.js';
import { cropVolume } from './crop.js';
import { rotateScale } from './rotate-scale.js';

describe('rotateScale', () => {
  describe('having rotation 0 and scale 1', () => {
    it('should return the input when the patch has the input size', () => {
      const image = randomVolume(2 * 16 ** 3, 1);
      const labels = new Int32Array(16 ** 3).map((_, i) => i % 5);
      const out = rotateScale(
        { image, shape: [2, 16, 16, 16], masks: { seg: { data: labels, channels: 1 } } },
        { patchSize: [16, 16, 16], angles: [0, 0, 0], scale: 1 },
      );
      // Cubic B-splines interpolate their samples exactly; only float32 rounding of the coefficients remains.
      expect(maxAbsDiff(out.image, image)).toBeLessThan(1e-5);
      expect(out.masks?.seg?.data).toEqual(labels);
    });

    it('should equal the centre crop when input and patch differ by an even number of voxels', () => {
      const image = randomVolume(20 * 18 * 22, 2);
      const out = rotateScale({ image, shape: [1, 20, 18, 22] }, { patchSize: [16, 14, 12], angles: [0, 0, 0], scale: 1 });
      expect(maxAbsDiff(out.image, cropVolume(image, [1, 20, 18, 22], [2, 2, 5], [16, 14, 12]))).toBeLessThan(1e-5);
    });
  });

  describe('having a fixed rotation and scale', () => {
    const fixture = loadScipyFixture();
    it.each(fixture.spatial.map((c) => [c.name, c] as const))(
      'should match scipy map_coordinates (order 3, constant) and per-label order 1 for %s',
      (_name, c) => {
        const image = fixtureVolume(c.channels, c.inShape);
        expect(image.reduce((s, v) => s + v, 0)).toBeCloseTo(c.inputSum, 2);
        const out = rotateScale(
          { image, shape: [c.channels, ...c.inShape], masks: { seg: { data: fixtureLabels(c.inShape), channels: 1 } } },
          { patchSize: c.patchSize, angles: c.angles, scale: c.scale },
        );
        expect(out.shape).toEqual([c.channels, ...c.patchSize]);
        // Fixture values carry 7 significant digits; float32 coefficients add ~1e-6.
        expect(maxAbsDiff(out.image, c.image)).toBeLessThan(1e-5);
        expect(Array.from(out.masks!.seg!.data)).toEqual(c.labels);
      },
    );
  });

  describe('having masks', () => {
    it('should keep labels integer, of the input type, and drawn from the input labels plus the fill', () => {
      const labels = new Uint8Array(12 ** 3).map((_, i) => [0, 3, 7, 200][(i >> 4) % 4]!);
      const sample: Sample = { image: randomVolume(12 ** 3, 3), shape: [1, 12, 12, 12], masks: { seg: { data: labels, channels: 1 } } };
      const out = rotateScale(sample, { patchSize: [10, 10, 10], angles: [0.4, -0.3, 0.7], scale: 1.2, maskFill: 9 });
      const data = out.masks!.seg!.data;
      expect(data).toBeInstanceOf(Uint8Array);
      expect(new Set(data).size).toBeGreaterThan(2);
      for (const v of data) expect([0, 3, 7, 200, 9]).toContain(v);
    });

    it('should not modify the input sample', () => {
      const image = randomVolume(10 ** 3, 4);
      const copy = image.slice();
      rotateScale({ image, shape: [1, 10, 10, 10] }, { patchSize: [8, 8, 8], angles: [0.2, 0.1, 0], scale: 0.9 });
      expect(image).toEqual(copy);
    });
  });

  it('should put the border value where the grid leaves the input', () => {
    const out = rotateScale({ image: new Float32Array(8 ** 3).fill(1), shape: [1, 8, 8, 8] }, {
      patchSize: [8, 8, 8], angles: [0, 0, 0], scale: 2, borderValue: -5,
    });
    expect(out.image[0]).toBe(-5);
    expect(out.image[4 * 64 + 4 * 8 + 4]).toBeCloseTo(1, 5);
  });
});
