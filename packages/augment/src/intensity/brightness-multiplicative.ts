import type { Augmentation, Rng, Sample } from '@openmind-ssl/core';
import type { ValueRange, VolumeShape } from '../types.js';
import { checkProbability, checkRange } from '../probability.js';
import { validateSample } from '../validate-sample.js';

/**
 * Multiplies channel c by `multipliers[c]`.
 * @param image - [C, X, Y, Z] float32; not modified.
 */
export function multiplyBrightness(image: Float32Array, shape: VolumeShape, multipliers: readonly number[]): Float32Array {
  const out = new Float32Array(image.length);
  const n = shape[1] * shape[2] * shape[3];
  for (let c = 0; c < shape[0]; c++) {
    const m = multipliers[c]!;
    for (let i = c * n; i < (c + 1) * n; i++) out[i] = image[i]! * m;
  }
  return out;
}

/** Options of {@link BrightnessMultiplicativeTransform} (batchgenerators `BrightnessMultiplicativeTransform`). */
export interface BrightnessMultiplicativeTransformOptions {
  /** Uniform range of the multiplier. Default [0.5, 2]. */
  multiplierRange?: ValueRange;
  /** One multiplier per channel (else one per sample). Default true. */
  perChannel?: boolean;
  /** Probability per sample. Default 1. */
  p?: number;
}

/** Multiplies intensities by a random factor. */
export class BrightnessMultiplicativeTransform implements Augmentation {
  readonly name = 'brightness-multiplicative';
  readonly multiplierRange: ValueRange;
  readonly perChannel: boolean;
  readonly p: number;

  constructor(options: BrightnessMultiplicativeTransformOptions = {}) {
    this.multiplierRange = options.multiplierRange ?? [0.5, 2];
    this.perChannel = options.perChannel ?? true;
    this.p = options.p ?? 1;
    checkRange('BrightnessMultiplicativeTransform', 'multiplierRange', this.multiplierRange);
    checkProbability('BrightnessMultiplicativeTransform', 'p', this.p);
  }

  /** Per-channel multipliers; null when the transform does not run. */
  draw(rng: Rng, channels: number): number[] | null {
    if (!(rng.uniform() < this.p)) return null;
    const [lo, hi] = this.multiplierRange;
    const shared = rng.uniformIn(lo, hi);
    return Array.from({ length: channels }, () => (this.perChannel ? rng.uniformIn(lo, hi) : shared));
  }

  apply(sample: Sample, rng: Rng): Sample {
    validateSample('BrightnessMultiplicativeTransform', sample);
    const multipliers = this.draw(rng, sample.shape[0]);
    if (!multipliers) return sample;
    return { ...sample, image: multiplyBrightness(sample.image, sample.shape, multipliers) };
  }
}
