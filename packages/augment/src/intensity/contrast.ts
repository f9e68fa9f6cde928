import type { Augmentation, Rng, Sample } from '@openmind-ssl/core';
import type { ValueRange, VolumeShape } from '../types.js';
import { checkProbability, checkRange, drawAroundOne } from '../probability.js';
import { validateSample } from '../validate-sample.js';
import { withDefaults } from '../with-defaults.js';
import { channelMeanRange } from './channel-stats.js';

/**
 * Scales each channel's deviation from its mean: x = (x - mean)·factor + mean; with `preserveRange`, the
 * result is clipped to the channel's original [min, max]. A null factor leaves the channel.
 * @param image - [C, X, Y, Z] float32; not modified.
 */
export function adjustContrast(
  image: Float32Array,
  shape: VolumeShape,
  factors: readonly (number | null)[],
  preserveRange = true,
): Float32Array {
  const out = image.slice();
  const n = shape[1] * shape[2] * shape[3];
  for (let c = 0; c < shape[0]; c++) {
    const f = factors[c];
    if (f === null || f === undefined) continue;
    const { mean, min, max } = channelMeanRange(image, c * n, n);
    // The clip bounds are float32 values of the input, as in numpy.
    for (let i = c * n; i < (c + 1) * n; i++) {
      let v = Math.fround((image[i]! - mean) * f + mean);
      if (preserveRange) v = v < min ? min : v > max ? max : v;
      out[i] = v;
    }
  }
  return out;
}

/** Options of {@link ContrastTransform} (batchgenerators `ContrastAugmentationTransform`). */
export interface ContrastTransformOptions {
  /** Factor range; half the draws fall below 1 when the range allows. Default [0.75, 1.25]. */
  contrastRange?: ValueRange;
  /** Clip to the original [min, max] of each channel. Default true. */
  preserveRange?: boolean;
  /** One factor per channel (else one per sample). Default true. */
  perChannel?: boolean;
  /** Probability per sample. Default 1. */
  p?: number;
  /** Probability that each channel is changed. Default 1. */
  pPerChannel?: number;
}

/** Random contrast change around each channel's mean. */
export class ContrastTransform implements Augmentation {
  readonly name = 'contrast';
  readonly options: Required<ContrastTransformOptions>;

  constructor(options: ContrastTransformOptions = {}) {
    this.options = withDefaults<Required<ContrastTransformOptions>>(
      { contrastRange: [0.75, 1.25], preserveRange: true, perChannel: true, p: 1, pPerChannel: 1 },
      options,
    );
    checkRange('ContrastTransform', 'contrastRange', this.options.contrastRange);
    checkProbability('ContrastTransform', 'p', this.options.p);
    checkProbability('ContrastTransform', 'pPerChannel', this.options.pPerChannel);
  }

  /** Per-channel factors (null: channel untouched); null when the transform does not run. */
  draw(rng: Rng, channels: number): (number | null)[] | null {
    const o = this.options;
    if (!(rng.uniform() < o.p)) return null;
    const shared = o.perChannel ? 0 : drawAroundOne(rng, o.contrastRange);
    const factors: (number | null)[] = [];
    for (let c = 0; c < channels; c++) {
      factors.push(rng.uniform() < o.pPerChannel ? (o.perChannel ? drawAroundOne(rng, o.contrastRange) : shared) : null);
    }
    return factors;
  }

  apply(sample: Sample, rng: Rng): Sample {
    validateSample('ContrastTransform', sample);
    const factors = this.draw(rng, sample.shape[0]);
    if (!factors) return sample;
    return { ...sample, image: adjustContrast(sample.image, sample.shape, factors, this.options.preserveRange) };
  }
}
