import type { Augmentation, Rng, Sample } from '@openmind-ssl/core';
import type { ValueRange, VolumeShape } from '../types.js';
import { checkProbability, checkRange, drawAroundOne } from '../probability.js';
import { validateSample } from '../validate-sample.js';
import { withDefaults } from '../with-defaults.js';
import { powUnitInterval } from './pow-unit.js';

/** Options of {@link adjustGamma}. */
export interface GammaOptions {
  /** Negate before and after, so the curve bends the bright end instead of the dark end. Default false. */
  invert?: boolean;
  /** Restore the original mean and standard deviation afterwards. Default false. */
  retainStats?: boolean;
  /** Added to the range before dividing. Default 1e-7. */
  epsilon?: number;
}

/**
 * Gamma curve on the intensity range: x = ((x - min)/(range + ε))^γ · (range + ε) + min, batchgenerators'
 * `augment_gamma`. With a single γ the whole sample is one block (and, as there, multiplied back by the bare
 * range); with one γ per channel each channel uses its own min, range and statistics.
 * @param image - [C, X, Y, Z] float32; not modified.
 * @param gamma - one exponent for the sample, or one per channel.
 */
export function adjustGamma(image: Float32Array, shape: VolumeShape, gamma: number | readonly number[], options: GammaOptions = {}): Float32Array {
  const { invert = false, retainStats = false, epsilon = 1e-7 } = options;
  const out = new Float32Array(image.length);
  const blocks = typeof gamma === 'number' ? 1 : shape[0];
  const n = image.length / blocks;
  const work = new Float64Array(n);
  const sign = invert ? -1 : 1;
  for (let b = 0; b < blocks; b++) {
    const g = typeof gamma === 'number' ? gamma : gamma[b]!;
    const offset = b * n;
    // Passes are fused where the data allows: signed copy with sum/min/max, (variance), normalise,
    // power, scale back with the new sum, (new variance), write.
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = sign * image[offset + i]!;
      work[i] = v;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const meanBefore = sum / n;
    const stdBefore = retainStats ? deviation(work, meanBefore) : 0;
    const range = max - min;
    const denominator = range + epsilon;
    for (let i = 0; i < n; i++) work[i] = (work[i]! - min) / denominator;
    powUnitInterval(work, g);
    const scaleBack = typeof gamma === 'number' ? range : denominator;
    let sumAfter = 0;
    for (let i = 0; i < n; i++) {
      const v = work[i]! * scaleBack + min;
      work[i] = v;
      sumAfter += v;
    }
    if (retainStats) {
      const meanAfter = sumAfter / n;
      const k = stdBefore / (deviation(work, meanAfter) + 1e-8);
      for (let i = 0; i < n; i++) out[offset + i] = sign * ((work[i]! - meanAfter) * k + meanBefore);
    } else {
      for (let i = 0; i < n; i++) out[offset + i] = sign * work[i]!;
    }
  }
  return out;
}

/** Options of {@link GammaTransform} (batchgenerators `GammaTransform`). */
export interface GammaTransformOptions {
  /** Range of γ; half the draws fall below 1 when the range allows. Default [0.5, 2]. */
  gammaRange?: ValueRange;
  /** See {@link GammaOptions.invert}. Default false. */
  invertImage?: boolean;
  /** One γ per channel (else one for the sample). Default false. */
  perChannel?: boolean;
  /** See {@link GammaOptions.retainStats}. Default false. */
  retainStats?: boolean;
  /** Probability per sample. Default 1. */
  p?: number;
}

/** Random gamma correction. */
export class GammaTransform implements Augmentation {
  readonly name = 'gamma';
  readonly options: Required<GammaTransformOptions>;

  constructor(options: GammaTransformOptions = {}) {
    this.options = withDefaults<Required<GammaTransformOptions>>(
      { gammaRange: [0.5, 2], invertImage: false, perChannel: false, retainStats: false, p: 1 },
      options,
    );
    checkRange('GammaTransform', 'gammaRange', this.options.gammaRange, 0);
    checkProbability('GammaTransform', 'p', this.options.p);
  }

  /** γ for the sample or per channel; null when the transform does not run. */
  draw(rng: Rng, channels: number): number | number[] | null {
    const o = this.options;
    if (!(rng.uniform() < o.p)) return null;
    if (!o.perChannel) return drawAroundOne(rng, o.gammaRange);
    return Array.from({ length: channels }, () => drawAroundOne(rng, o.gammaRange));
  }

  apply(sample: Sample, rng: Rng): Sample {
    validateSample('GammaTransform', sample);
    const gamma = this.draw(rng, sample.shape[0]);
    if (gamma === null) return sample;
    const { invertImage: invert, retainStats } = this.options;
    return { ...sample, image: adjustGamma(sample.image, sample.shape, gamma, { invert, retainStats }) };
  }
}

/** Population standard deviation around a known mean. */
function deviation(values: Float64Array, mean: number): number {
  let sq = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! - mean;
    sq += d * d;
  }
  return Math.sqrt(sq / values.length);
}
