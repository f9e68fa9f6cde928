import type { Augmentation } from '@openmind-ssl/core';
import type { Triple, ValueRange } from './types.js';
import { Compose } from './compose.js';
import { BrightnessMultiplicativeTransform } from './intensity/brightness-multiplicative.js';
import { ContrastTransform } from './intensity/contrast.js';
import { GammaTransform } from './intensity/gamma.js';
import { GaussianBlurTransform } from './intensity/gaussian-blur.js';
import { GaussianNoiseTransform } from './intensity/gaussian-noise.js';
import { SimulateLowResolutionTransform } from './intensity/simulate-low-resolution.js';
import { getPatchSize } from './spatial/get-patch-size.js';
import { MirrorTransform } from './spatial/mirror.js';
import { Rot90Transform } from './spatial/rot90.js';
import { SpatialTransform } from './spatial/spatial-transform.js';

/** nnssl's rotation range for 3-D patches: ±30° about each axis. */
export const NNSSL_ROTATION: ValueRange = [-Math.PI / 6, Math.PI / 6];

/**
 * The loader crop for nnssl's MAE-family pipeline: `get_patch_size(patch, ±30°, ±30°, ±30°, (0.85, 1.25))`.
 * 160³ → 257³, 96³ → 154³, 128³ → 205³, 192³ → 308³. (nnssl sizes it with scale 0.85 although the
 * transform then scales by up to 1.4, so strongly zoomed-out samples show the constant border.)
 */
export function maeInitialPatchSize(patchSize: Triple = [160, 160, 160]): Triple {
  return getPatchSize(patchSize, NNSSL_ROTATION, NNSSL_ROTATION, NNSSL_ROTATION, [0.85, 1.25]);
}

/**
 * nnssl's default training augmentation (`BaseMAETrainer.get_training_transforms`, used by the MAE, SparK
 * and SimMIM trainers): SpatialTransform on the enlarged loader crop — rotation with probability 0.2 per
 * sample (all three angles in ±30°), isotropic scale in (0.7, 1.4) with probability 0.2, cubic image / linear
 * mask interpolation, constant border 0, centre crop to `patchSize` — then mirroring of each axis with
 * probability 1/2.
 * @param patchSize - network input size; feed samples of `maeInitialPatchSize(patchSize)`.
 */
export function maeSpatialPipeline(patchSize: Triple = [160, 160, 160]): Compose {
  return new Compose(
    [
      new SpatialTransform({
        patchSize,
        angleX: NNSSL_ROTATION,
        angleY: NNSSL_ROTATION,
        angleZ: NNSSL_ROTATION,
        pRotationPerSample: 0.2,
        pRotationPerAxis: 1,
        scaleRange: [0.7, 1.4],
        pScalePerSample: 0.2,
        borderValue: 0,
        maskFill: 0,
      }),
      new MirrorTransform({ axes: [0, 1, 2] }),
    ],
    'mae-spatial',
  );
}

/** The intensity steps shared by the contrastive and VolumeFusion pipelines (nnssl §3.5, §3.7). */
function intensitySteps(pLowResolution: number): Augmentation[] {
  return [
    new GaussianNoiseTransform({ p: 0.1 }),
    new GaussianBlurTransform({ blurSigma: [0.5, 1], differentSigmaPerChannel: true, p: 0.2, pPerChannel: 0.5 }),
    new BrightnessMultiplicativeTransform({ multiplierRange: [0.75, 1.25], p: 0.15 }),
    new ContrastTransform({ p: 0.15 }),
    new SimulateLowResolutionTransform({
      zoomRange: [0.5, 1],
      perChannel: true,
      pPerChannel: 0.5,
      orderDownsample: 0,
      orderUpsample: 3,
      p: pLowResolution,
    }),
    new GammaTransform({ gammaRange: [0.7, 1.5], invertImage: true, perChannel: true, retainStats: true, p: 0.1 }),
    new GammaTransform({ gammaRange: [0.7, 1.5], invertImage: false, perChannel: true, retainStats: true, p: 0.3 }),
  ];
}

/**
 * The augmentation nnssl applies to each 64³ crop in SimCLR (`SimCLRTransform`) and VoCo: noise, blur,
 * brightness, contrast, low resolution (p 0.1), two gammas, mirroring of each axis with probability 1/2
 * and a 90° rotation in the plane of axes 0 and 1 with probability 0.3. Reference and overlapping crops
 * are augmented independently (call `apply` once per crop).
 */
export function simclrCropAugmentation(): Compose {
  return new Compose(
    [
      ...intensitySteps(0.1),
      new MirrorTransform({ axes: [0] }),
      new MirrorTransform({ axes: [1] }),
      new MirrorTransform({ axes: [2] }),
      new Rot90Transform({ axes: [0, 1] }),
    ],
    'simclr-crop',
  );
}

/**
 * VolumeFusion's training augmentation before the fusion itself (`VolumeFusionTrainer`): the intensity
 * steps of {@link simclrCropAugmentation} with low resolution at p 0.25, then mirroring of axes 0, 1, 2.
 */
export function volumeFusionAugmentation(): Compose {
  return new Compose([...intensitySteps(0.25), new MirrorTransform({ axes: [0, 1, 2] })], 'volume-fusion');
}
