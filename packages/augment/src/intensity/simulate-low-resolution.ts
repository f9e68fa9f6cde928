import type { Augmentation, Rng, Sample } from '@openmind-ssl/core';
import type { Triple, ValueRange, VolumeShape } from '../types.js';
import { checkProbability, checkRange } from '../probability.js';
import { validateSample } from '../validate-sample.js';
import { withDefaults } from '../with-defaults.js';
import { channelMeanRange } from './channel-stats.js';
import type { ZoomOrder } from './zoom-axis.js';
import { zoom3d } from './zoom-axis.js';

/** Options of {@link simulateLowResolution}. */
export interface LowResolutionOptions {
  /** Interpolation order of the downsampling. Default 1. */
  orderDownsample?: ZoomOrder;
  /** Interpolation order of the upsampling back to the original size. Default 0. */
  orderUpsample?: ZoomOrder;
}

/**
 * Downsamples each selected channel to `targets[c]` voxels and resamples it back to its size, as
 * batchgenerators' `augment_linear_downsampling_scipy` does with skimage `resize(mode='edge',
 * anti_aliasing=False)`: pixel-centre-aligned zoom, each step clipped to the range of its input. A null
 * target leaves the channel.
 * @param image - [C, X, Y, Z] float32; not modified.
 */
export function simulateLowResolution(
  image: Float32Array,
  shape: VolumeShape,
  targets: readonly (Triple | null)[],
  options: LowResolutionOptions = {},
): Float32Array {
  const { orderDownsample = 1, orderUpsample = 0 } = options;
  const out = image.slice();
  const dims: Triple = [shape[1], shape[2], shape[3]];
  const n = dims[0] * dims[1] * dims[2];
  for (let c = 0; c < shape[0]; c++) {
    const target = targets[c];
    if (!target) continue;
    const channel = Float64Array.from(image.subarray(c * n, (c + 1) * n));
    const low = zoom3d(channel, dims, target, orderDownsample);
    clipToRange(low, channelMeanRange(channel, 0, n));
    const restored = zoom3d(low, target, dims, orderUpsample);
    clipToRange(restored, channelMeanRange(low, 0, low.length));
    out.set(restored, c * n);
  }
  return out;
}

/** skimage's `clip=True`: the output may not leave the input's value range. */
function clipToRange(data: Float64Array, range: { min: number; max: number }): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < range.min) data[i] = range.min;
    else if (v > range.max) data[i] = range.max;
  }
}

/** numpy's round (half to even), used for the target shape. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Options of {@link SimulateLowResolutionTransform} (batchgenerators `SimulateLowResolutionTransform`). */
export interface SimulateLowResolutionTransformOptions extends LowResolutionOptions {
  /** Range of the zoom factor (< 1 downsamples). Default [0.5, 1]. */
  zoomRange?: ValueRange;
  /** One zoom per channel (else one per sample). Default false. */
  perChannel?: boolean;
  /** Probability that each channel is resampled. Default 1. */
  pPerChannel?: number;
  /** Channels that may be resampled; default all. */
  channels?: readonly number[];
  /** Spatial axes kept at full resolution. Default none. */
  ignoreAxes?: readonly (0 | 1 | 2)[];
  /** Probability per sample. Default 1. */
  p?: number;
}

/** Simulates a low acquisition resolution: down- then up-sampling by a random zoom. */
export class SimulateLowResolutionTransform implements Augmentation {
  readonly name = 'simulate-low-resolution';
  readonly options: Required<Omit<SimulateLowResolutionTransformOptions, 'channels'>> & { channels: readonly number[] | null };

  constructor(options: SimulateLowResolutionTransformOptions = {}) {
    this.options = {
      ...withDefaults<Required<Omit<SimulateLowResolutionTransformOptions, 'channels'>>>({
        zoomRange: [0.5, 1],
        perChannel: false,
        pPerChannel: 1,
        ignoreAxes: [],
        p: 1,
        orderDownsample: 1,
        orderUpsample: 0,
      }, options),
      channels: options.channels ?? null,
    };
    checkRange('SimulateLowResolutionTransform', 'zoomRange', this.options.zoomRange, 0);
    checkProbability('SimulateLowResolutionTransform', 'pPerChannel', this.options.pPerChannel);
    checkProbability('SimulateLowResolutionTransform', 'p', this.options.p);
    for (const order of [this.options.orderDownsample, this.options.orderUpsample]) {
      if (order !== 0 && order !== 1 && order !== 3) {
        throw new RangeError(`SimulateLowResolutionTransform: interpolation orders must be 0, 1 or 3, but got ${order}.`);
      }
    }
  }

  private target(rng: Rng, dims: Triple): Triple {
    const [lo, hi] = this.options.zoomRange;
    const zoom = lo === hi ? lo : rng.uniformIn(lo, hi);
    // A size of 0 cannot be resampled back; keep at least one voxel.
    const t = dims.map((d, axis) => (this.options.ignoreAxes.includes(axis as 0 | 1 | 2) ? d : Math.max(1, roundHalfEven(d * zoom))));
    return [t[0]!, t[1]!, t[2]!];
  }

  /** Per-channel target sizes (null: channel untouched); null when the transform does not run. */
  draw(rng: Rng, shape: VolumeShape): (Triple | null)[] | null {
    const o = this.options;
    if (!(rng.uniform() < o.p)) return null;
    const dims: Triple = [shape[1], shape[2], shape[3]];
    const shared = o.perChannel ? null : this.target(rng, dims);
    const targets: (Triple | null)[] = new Array<Triple | null>(shape[0]).fill(null);
    const channels = o.channels ?? Array.from({ length: shape[0] }, (_, c) => c);
    for (const c of channels) {
      if (c >= 0 && c < shape[0] && rng.uniform() < o.pPerChannel) targets[c] = shared ?? this.target(rng, dims);
    }
    return targets;
  }

  apply(sample: Sample, rng: Rng): Sample {
    validateSample('SimulateLowResolutionTransform', sample);
    const targets = this.draw(rng, sample.shape);
    if (!targets || targets.every((t) => t === null)) return sample;
    const { orderDownsample, orderUpsample } = this.options;
    return { ...sample, image: simulateLowResolution(sample.image, sample.shape, targets, { orderDownsample, orderUpsample }) };
  }
}
