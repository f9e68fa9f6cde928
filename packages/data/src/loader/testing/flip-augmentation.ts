import type { Augmentation, Rng, Sample } from '@openmind-ssl/core';

/**
 * Test augmentation: with probability 1/2 mirrors the last axis of image and masks and adds `offset` to
 * the image. Exported as a factory so workers can build it from a module spec.
 */
export function createFlip(offset: number): Augmentation {
  return {
    name: 'test-flip',
    apply(sample: Sample, rng: Rng): Sample {
      if (!rng.bernoulli(0.5)) return sample;
      const [, , , n] = sample.shape;
      const flip = <T extends Float32Array | Uint8Array | Int32Array>(a: T): T => {
        const out = a.slice() as T;
        for (let r = 0; r < a.length; r += n) for (let k = 0; k < n; k++) out[r + k] = a[r + n - 1 - k]!;
        return out;
      };
      const image = flip(sample.image);
      for (let i = 0; i < image.length; i++) image[i]! += offset;
      const masks: NonNullable<Sample['masks']> = {};
      for (const [k, m] of Object.entries(sample.masks ?? {})) masks[k] = { data: flip(m.data), channels: m.channels };
      return { image, shape: sample.shape, masks };
    },
  };
}
