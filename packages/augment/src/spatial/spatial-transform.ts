import type { Augmentation, Rng, Sample } from '@openmind-ssl/core';
import type { Triple, ValueRange } from '../types.js';
import { checkProbability, checkRange, drawAroundOne } from '../probability.js';
import { validateSample } from '../validate-sample.js';
import { withDefaults } from '../with-defaults.js';
import { centerCropStart, cropSample } from './crop.js';
import { rotateScale } from './rotate-scale.js';

/** Options of {@link SpatialTransform}; defaults are batchgenerators' `SpatialTransform` defaults. */
export interface SpatialTransformOptions {
  /** Output spatial size (X, Y, Z). */
  patchSize: Triple;
  /** Whether rotation can fire at all. Default true. */
  doRotation?: boolean;
  /** Angle range in radians about axis 0. Default [0, 2π]. */
  angleX?: ValueRange;
  /** Angle range about axis 1. Default [0, 2π]. */
  angleY?: ValueRange;
  /** Angle range about axis 2. Default [0, 2π]. */
  angleZ?: ValueRange;
  /** Probability per sample that the sample is rotated. Default 1. */
  pRotationPerSample?: number;
  /** Given a rotation, probability that each axis gets a non-zero angle. Default 1. */
  pRotationPerAxis?: number;
  /** Whether scaling can fire at all. Default true. */
  doScale?: boolean;
  /** Range of the isotropic grid scale; half the draws fall below 1 when the range allows. Default [0.75, 1.25]. */
  scaleRange?: ValueRange;
  /** Probability per sample of scaling. Default 1. */
  pScalePerSample?: number;
  /** Image value outside the input (constant border). Default 0. */
  borderValue?: number;
  /** Mask value outside the input. Default 0 (what batchgenerators' per-label interpolation gives for cval -1). */
  maskFill?: number;
}

/** What {@link SpatialTransform.draw} decided: rotation angles and scale, or null for a plain centre crop. */
export interface SpatialParams {
  angles: Triple;
  scale: number;
}

/**
 * batchgenerators' `SpatialTransform` without elastic deformation and with `random_crop=False`: per sample,
 * rotation (probability `pRotationPerSample`, each axis with `pRotationPerAxis`) and isotropic scaling
 * (probability `pScalePerSample`) of a grid centred in the input; cubic interpolation for the image, per-label
 * linear for masks, constant border. When neither fires, the output is the centre crop, offset
 * (shape - patch) // 2, without interpolation. The input may be larger than the patch (257³ → 160³ in nnssl).
 */
export class SpatialTransform implements Augmentation {
  readonly name = 'spatial';
  readonly options: Required<SpatialTransformOptions>;

  constructor(options: SpatialTransformOptions) {
    const full = 2 * Math.PI;
    this.options = withDefaults<Required<SpatialTransformOptions>>({
      patchSize: options.patchSize,
      doRotation: true,
      angleX: [0, full],
      angleY: [0, full],
      angleZ: [0, full],
      pRotationPerSample: 1,
      pRotationPerAxis: 1,
      doScale: true,
      scaleRange: [0.75, 1.25],
      pScalePerSample: 1,
      borderValue: 0,
      maskFill: 0,
    }, options);
    const o = this.options;
    if (o.patchSize.length !== 3 || !o.patchSize.every((d) => Number.isInteger(d) && d > 0)) {
      throw new RangeError(`SpatialTransform: patchSize must be 3 positive integers, but got [${o.patchSize.join(', ')}].`);
    }
    checkRange('SpatialTransform', 'angleX', o.angleX);
    checkRange('SpatialTransform', 'angleY', o.angleY);
    checkRange('SpatialTransform', 'angleZ', o.angleZ);
    checkRange('SpatialTransform', 'scaleRange', o.scaleRange);
    if (!(o.scaleRange[0] > 0)) throw new RangeError(`SpatialTransform: scaleRange must be positive, but got [${o.scaleRange.join(', ')}].`);
    checkProbability('SpatialTransform', 'pRotationPerSample', o.pRotationPerSample);
    checkProbability('SpatialTransform', 'pRotationPerAxis', o.pRotationPerAxis);
    checkProbability('SpatialTransform', 'pScalePerSample', o.pScalePerSample);
  }

  /** Draws rotation and scale in batchgenerators' order; null when neither fires. */
  draw(rng: Rng): SpatialParams | null {
    const o = this.options;
    let modified = false;
    const angles: [number, number, number] = [0, 0, 0];
    let scale = 1;
    if (o.doRotation && rng.uniform() < o.pRotationPerSample) {
      const ranges = [o.angleX, o.angleY, o.angleZ];
      for (let d = 0; d < 3; d++) {
        // batchgenerators compares with <= here (and < everywhere else).
        if (rng.uniform() <= o.pRotationPerAxis) angles[d] = rng.uniformIn(ranges[d]![0], ranges[d]![1]);
      }
      modified = true;
    }
    if (o.doScale && rng.uniform() < o.pScalePerSample) {
      scale = drawAroundOne(rng, o.scaleRange);
      modified = true;
    }
    return modified ? { angles, scale } : null;
  }

  apply(sample: Sample, rng: Rng): Sample {
    validateSample('SpatialTransform', sample);
    const params = this.draw(rng);
    const { patchSize, borderValue, maskFill } = this.options;
    if (!params) {
      const [, X, Y, Z] = sample.shape;
      return cropSample(sample, centerCropStart([X, Y, Z], patchSize), patchSize);
    }
    return rotateScale(sample, { patchSize, angles: params.angles, scale: params.scale, borderValue, maskFill });
  }
}
