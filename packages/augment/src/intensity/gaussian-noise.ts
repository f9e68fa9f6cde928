import type { Augmentation, Rng, Sample } from '@openmind-ssl/core';
import type { ValueRange, VolumeShape } from '../types.js';
import { checkProbability, checkRange } from '../probability.js';
import { validateSample } from '../validate-sample.js';
import { addScaledNormal } from '../random-normal.js';

/**
 * Adds zero-mean Gaussian noise with standard deviation `sigmas[c]` to channel c (null or 0 leaves it).
 * The noise is drawn from `rng` (ziggurat), so the result is a deterministic function of the inputs and
 * the generator's state.
 * @param image - [C, X, Y, Z] float32; not modified.
 */
export function addGaussianNoise(image: Float32Array, shape: VolumeShape, sigmas: readonly (number | null)[], rng: Rng): Float32Array {
  const out = image.slice();
  const n = shape[1] * shape[2] * shape[3];
  for (let c = 0; c < shape[0]; c++) {
    const sigma = sigmas[c];
    if (!sigma) continue;
    addScaledNormal(image, out, c * n, (c + 1) * n, sigma, rng);
  }
  return out;
}

/** Options of {@link GaussianNoiseTransform} (batchgenerators `GaussianNoiseTransform`). */
export interface GaussianNoiseTransformOptions {
  /**
   * Range of the noise standard deviation. batchgenerators calls it `noise_variance` but uses the drawn
   * value as the std. Default [0, 0.1].
   */
  noiseStdRange?: ValueRange;
  /** Probability per sample. Default 1. */
  p?: number;
  /** Probability that each channel gets noise. Default 1. */
  pPerChannel?: number;
  /** Draw a separate std per channel (else one per sample). Default false. */
  perChannel?: boolean;
}

/** Additive Gaussian noise with a random standard deviation. */
export class GaussianNoiseTransform implements Augmentation {
  readonly name = 'gaussian-noise';
  readonly noiseStdRange: ValueRange;
  readonly p: number;
  readonly pPerChannel: number;
  readonly perChannel: boolean;

  constructor(options: GaussianNoiseTransformOptions = {}) {
    this.noiseStdRange = options.noiseStdRange ?? [0, 0.1];
    this.p = options.p ?? 1;
    this.pPerChannel = options.pPerChannel ?? 1;
    this.perChannel = options.perChannel ?? false;
    checkRange('GaussianNoiseTransform', 'noiseStdRange', this.noiseStdRange, 0);
    checkProbability('GaussianNoiseTransform', 'p', this.p);
    checkProbability('GaussianNoiseTransform', 'pPerChannel', this.pPerChannel);
  }

  /** Per-channel standard deviations (null: channel untouched); null when the transform does not run. */
  draw(rng: Rng, channels: number): (number | null)[] | null {
    if (!(rng.uniform() < this.p)) return null;
    const [lo, hi] = this.noiseStdRange;
    const shared = this.perChannel ? 0 : rng.uniformIn(lo, hi);
    const sigmas: (number | null)[] = [];
    for (let c = 0; c < channels; c++) {
      sigmas.push(rng.uniform() < this.pPerChannel ? (this.perChannel ? rng.uniformIn(lo, hi) : shared) : null);
    }
    return sigmas;
  }

  apply(sample: Sample, rng: Rng): Sample {
    validateSample('GaussianNoiseTransform', sample);
    const sigmas = this.draw(rng, sample.shape[0]);
    if (!sigmas) return sample;
    return { ...sample, image: addGaussianNoise(sample.image, sample.shape, sigmas, rng) };
  }
}
