import type { Augmentation, Sample } from '@openmind-ssl/core';

/**
 * nnU-Net's `MaskImageTransform`: channels normalised inside the non-zero mask are set to 0 where the label
 * is negative (outside the body), so augmentation does not leave intensities there.
 */
export class MaskImageTransform implements Augmentation {
  readonly name = 'mask-image';
  constructor(readonly channels: readonly number[]) {}

  apply(sample: Sample): Sample {
    const seg = sample.masks?.['label']?.data;
    if (!seg || this.channels.length === 0) return sample;
    const [, X, Y, Z] = sample.shape;
    const n = X * Y * Z;
    const image = sample.image.slice();
    for (const c of this.channels) for (let i = 0; i < n; i++) if (seg[i]! < 0) image[c * n + i] = 0;
    return { ...sample, image };
  }
}
