import type { Augmentation } from '@openmind-ssl/core';
import {
  BrightnessMultiplicativeTransform, Compose, ContrastTransform, GammaTransform, GaussianBlurTransform, GaussianNoiseTransform, MirrorTransform,
  SimulateLowResolutionTransform, SpatialTransform, getPatchSize, type ValueRange,
} from '@openmind-ssl/augment';
import { ANISO_THRESHOLD } from '@openmind-ssl/data';
import type { Vec3 } from '../contract.js';
import { MaskImageTransform } from './mask-image.js';

/** nnU-Net's rotation limit for 3-D patches: ±30°; ±180° in-plane for "dummy 2-D" augmentation. */
export const ROTATION_3D: ValueRange = [-Math.PI / 6, Math.PI / 6];
export const ROTATION_DUMMY_2D: ValueRange = [-Math.PI, Math.PI];
/** Scale range used to size the enlarged crop (nnU-Net sizes it with 0.85 though the transform scales by up to 1.4). */
export const INITIAL_PATCH_SCALE: ValueRange = [0.85, 1.25];

/** nnU-Net's training augmentation for one plan: the enlarged crop it needs and the transform list. */
export interface TrainingAugmentation {
  /** The loader crop (nnU-Net's `initial_patch_size`); the transform turns it into the network patch. */
  cropSize: Vec3;
  /** Rotation limit used (per axis; dummy 2-D rotates about axis 0 only). */
  rotation: ValueRange;
  /** True when max(patch) / patch[0] > 3: nnU-Net then augments in-plane ("dummy 2-D"). */
  dummy2d: boolean;
  transform: Compose;
}

/**
 * nnU-Net's training transforms (finetune-spec §1.8), in order, from @openmind-ssl/augment: spatial
 * (rotation p 0.2 ±30° per axis, scale p 0.2 in (0.7, 1.4), centre crop to the patch, no elastic; image
 * cubic, label per label linear), Gaussian noise p 0.1, blur p 0.2 (σ 0.5–1, per channel 0.5), brightness
 * p 0.15 (0.75–1.25), contrast p 0.15 (0.75–1.25, range kept), low resolution p 0.25 (0.5–1, per channel
 * 0.5), inverted gamma p 0.1 and gamma p 0.3 (0.7–1.5, stats kept), mirroring of axes 0, 1, 2, and — when a
 * channel is normalised inside its mask — MaskImage. RemoveLabel (−1 → 0) is the batch generator's last step.
 * With a flat patch (dummy 2-D) the rotation is about axis 0 only (±180°), the crop keeps axis 0, and low
 * resolution leaves axis 0 alone; unlike nnU-Net the scale still acts on all three axes.
 */
export function nnunetTrainingAugmentation(patchSize: Vec3, useMaskForNorm: readonly boolean[] = []): TrainingAugmentation {
  const dummy2d = Math.max(...patchSize) / patchSize[0] > ANISO_THRESHOLD;
  const rotation = dummy2d ? ROTATION_DUMMY_2D : ROTATION_3D;
  const none: ValueRange = [0, 0];
  const crop = getPatchSize(patchSize, rotation, dummy2d ? none : rotation, dummy2d ? none : rotation, INITIAL_PATCH_SCALE);
  const cropSize: Vec3 = [dummy2d ? patchSize[0] : crop[0], crop[1], crop[2]];
  const maskChannels = useMaskForNorm.flatMap((m, c) => (m ? [c] : []));
  const steps: Augmentation[] = [
    new SpatialTransform({
      patchSize,
      angleX: rotation,
      angleY: dummy2d ? none : rotation,
      angleZ: dummy2d ? none : rotation,
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
    new SimulateLowResolutionTransform({
      zoomRange: [0.5, 1], perChannel: true, pPerChannel: 0.5, orderDownsample: 0, orderUpsample: 3, p: 0.25, ...(dummy2d ? { ignoreAxes: [0] as const } : {}),
    }),
    new GammaTransform({ gammaRange: [0.7, 1.5], invertImage: true, perChannel: true, retainStats: true, p: 0.1 }),
    new GammaTransform({ gammaRange: [0.7, 1.5], invertImage: false, perChannel: true, retainStats: true, p: 0.3 }),
    new MirrorTransform({ axes: [0, 1, 2] }),
    ...(maskChannels.length > 0 ? [new MaskImageTransform(maskChannels)] : []),
  ];
  return { cropSize, rotation, dummy2d, transform: new Compose(steps, 'nnunet-training') };
}
