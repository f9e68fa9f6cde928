import type { Augmentation, Rng } from '@openmind-ssl/core';
import {
  BrightnessMultiplicativeTransform, Compose, ContrastTransform, GammaTransform, GaussianBlurTransform, GaussianNoiseTransform, MirrorTransform,
  SimulateLowResolutionTransform, SpatialTransform, type ValueRange,
} from '@openmind-ssl/augment';
import type { LabelledCase } from '@openmind-ssl/core';

/** nnU-Net's rotation limit per axis, as the reference's policy (±0.523599 rad). */
export const CLASSIFICATION_ROTATION: ValueRange = [-Math.PI / 6, Math.PI / 6];

/**
 * The reference's training augmentation (finetune-spec §2.4): batchgeneratorsv2's nnU-Net list (§1.8)
 * without its segmentation steps (MaskImage, RemoveLabel, regions, deep-supervision downsampling). Spatial:
 * rotation p 0.2 with ±30° per axis, scale p 0.2 in (0.7, 1.4), no elastic, cropped to the size it receives
 * (the case's fixed crop), border 0; Gaussian noise p 0.1; blur p 0.2 (σ 0.5–1, per channel 0.5); brightness
 * p 0.15 (0.75–1.25); contrast p 0.15 (0.75–1.25, range kept); low resolution p 0.25 (0.5–1, per channel
 * 0.5); inverted gamma p 0.1 and gamma p 0.3 (0.7–1.5, stats kept); mirroring of axes 0, 1, 2.
 */
export function classificationTrainingAugmentation(cropSize: readonly [number, number, number]): Compose {
  const steps: Augmentation[] = [
    new SpatialTransform({
      patchSize: [...cropSize],
      angleX: CLASSIFICATION_ROTATION,
      angleY: CLASSIFICATION_ROTATION,
      angleZ: CLASSIFICATION_ROTATION,
      pRotationPerSample: 0.2,
      pRotationPerAxis: 1,
      scaleRange: [0.7, 1.4],
      pScalePerSample: 0.2,
      borderValue: 0,
      maskFill: 0,
    }),
    new GaussianNoiseTransform({ p: 0.1 }),
    new GaussianBlurTransform({ blurSigma: [0.5, 1], differentSigmaPerChannel: true, p: 0.2, pPerChannel: 0.5 }),
    new BrightnessMultiplicativeTransform({ multiplierRange: [0.75, 1.25], p: 0.15 }),
    new ContrastTransform({ contrastRange: [0.75, 1.25], preserveRange: true, p: 0.15 }),
    new SimulateLowResolutionTransform({ zoomRange: [0.5, 1], perChannel: true, pPerChannel: 0.5, orderDownsample: 0, orderUpsample: 3, p: 0.25 }),
    new GammaTransform({ gammaRange: [0.7, 1.5], invertImage: true, perChannel: true, retainStats: true, p: 0.1 }),
    new GammaTransform({ gammaRange: [0.7, 1.5], invertImage: false, perChannel: true, retainStats: true, p: 0.3 }),
    new MirrorTransform({ axes: [0, 1, 2] }),
  ];
  return new Compose(steps, 'classification-training');
}

/** An augmented copy of a training case (the cached case is left as it is); the target is unchanged. */
export function augmentCase(c: LabelledCase, augmentation: Augmentation, rng: Rng): LabelledCase {
  const out = augmentation.apply({ image: c.image.slice(), shape: c.shape }, rng);
  return { id: c.id, image: out.image, shape: out.shape, target: c.target };
}
