import type { Augmentation, Rng, Sample } from '@openmind-ssl/core';
import type { Triple, ValueRange, VolumeShape } from '../types.js';
import { checkProbability, checkRange } from '../probability.js';
import { validateSample } from '../validate-sample.js';
import { withDefaults } from '../with-defaults.js';

/**
 * Gaussian smoothing of each channel with its own per-axis sigma (null skips the channel): scipy.ndimage
 * `gaussian_filter(order=0, mode='reflect', truncate=4)`, i.e. kernel radius int(4σ + 0.5), samples
 * exp(-x²/2σ²) normalised to sum 1, half-sample-symmetric border, one separable pass per axis.
 * @param image - [C, X, Y, Z] float32; not modified.
 * @param sigmas - per channel, sigma along (X, Y, Z) in voxels, or null.
 */
export function gaussianBlur(image: Float32Array, shape: VolumeShape, sigmas: readonly (Triple | null)[]): Float32Array {
  const out = image.slice();
  const [C, X, Y, Z] = shape;
  const n = X * Y * Z;
  const scratch = new Float32Array(n);
  for (let c = 0; c < C; c++) {
    const sigma = sigmas[c];
    if (!sigma) continue;
    const channel = out.subarray(c * n, (c + 1) * n);
    // Each pass reads one buffer and writes the other; an even number of swaps ends in `channel`.
    blurAxis(channel, scratch, 1, X, Y * Z, sigma[0]);
    blurAxis(scratch, channel, X, Y, Z, sigma[1]);
    blurAxis(channel, scratch, X * Y, Z, 1, sigma[2]);
    channel.set(scratch);
  }
  return out;
}

/** Normalised half kernel w[0..r] of scipy's `_gaussian_kernel1d`. */
export function gaussianHalfKernel(sigma: number): Float64Array {
  const radius = Math.trunc(4 * sigma + 0.5);
  const w = new Float64Array(radius + 1);
  let sum = 0;
  for (let k = 0; k <= radius; k++) {
    w[k] = Math.exp((-0.5 / (sigma * sigma)) * k * k);
    sum += k === 0 ? w[k]! : 2 * w[k]!;
  }
  for (let k = 0; k <= radius; k++) w[k] = w[k]! / sum;
  return w;
}

/** Half-sample-symmetric ('reflect') index into [0, n): d c b a | a b c d | d c b a. */
function reflect(i: number, n: number): number {
  const period = 2 * n;
  const m = ((i % period) + period) % period;
  return m < n ? m : period - 1 - m;
}

/** Correlates along the middle axis of an [outer, n, inner] array; sigma 0 copies. */
function blurAxis(src: Float32Array, dst: Float32Array, outer: number, n: number, inner: number, sigma: number): void {
  if (!(sigma > 0)) {
    dst.set(src);
    return;
  }
  const w = gaussianHalfKernel(sigma);
  const r = w.length - 1;
  const acc = new Float64Array(inner === 1 ? n + 2 * r : inner);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    if (inner === 1) {
      // Contiguous line: pad it once in float64, then a plain symmetric convolution.
      for (let i = 0; i < n; i++) acc[i + r] = src[base + i]!;
      for (let i = 1; i <= r; i++) {
        acc[r - i] = src[base + reflect(-i, n)]!;
        acc[r + n - 1 + i] = src[base + reflect(n - 1 + i, n)]!;
      }
      for (let i = 0; i < n; i++) {
        const centre = i + r;
        let t = acc[centre]! * w[0]!;
        for (let k = 1; k <= r; k++) t += (acc[centre + k]! + acc[centre - k]!) * w[k]!;
        dst[base + i] = t;
      }
      continue;
    }
    for (let i = 0; i < n; i++) {
      const row = base + i * inner;
      for (let j = 0; j < inner; j++) acc[j] = src[row + j]! * w[0]!;
      for (let k = 1; k <= r; k++) {
        const up = base + reflect(i + k, n) * inner;
        const down = base + reflect(i - k, n) * inner;
        const wk = w[k]!;
        for (let j = 0; j < inner; j++) acc[j] = acc[j]! + (src[up + j]! + src[down + j]!) * wk;
      }
      for (let j = 0; j < inner; j++) dst[row + j] = acc[j]!;
    }
  }
}

/** Options of {@link GaussianBlurTransform} (batchgenerators `GaussianBlurTransform`). */
export interface GaussianBlurTransformOptions {
  /** Range of sigma in voxels. Default [1, 5]. */
  blurSigma?: ValueRange;
  /** Draw a sigma per channel (else one per sample). Default true. */
  differentSigmaPerChannel?: boolean;
  /** Draw a sigma per axis (anisotropic kernels). Default false. */
  differentSigmaPerAxis?: boolean;
  /** With per-axis sigmas, probability of an isotropic kernel anyway. Default 0. */
  pIsotropic?: number;
  /** Probability that each channel is blurred. Default 1. */
  pPerChannel?: number;
  /** Probability per sample. Default 1. */
  p?: number;
}

/** Gaussian blur with random sigma. */
export class GaussianBlurTransform implements Augmentation {
  readonly name = 'gaussian-blur';
  readonly options: Required<GaussianBlurTransformOptions>;

  constructor(options: GaussianBlurTransformOptions = {}) {
    this.options = withDefaults<Required<GaussianBlurTransformOptions>>({
      blurSigma: [1, 5],
      differentSigmaPerChannel: true,
      differentSigmaPerAxis: false,
      pIsotropic: 0,
      pPerChannel: 1,
      p: 1,
    }, options);
    checkRange('GaussianBlurTransform', 'blurSigma', this.options.blurSigma, 0);
    checkProbability('GaussianBlurTransform', 'pIsotropic', this.options.pIsotropic);
    checkProbability('GaussianBlurTransform', 'pPerChannel', this.options.pPerChannel);
    checkProbability('GaussianBlurTransform', 'p', this.options.p);
  }

  private drawSigma(rng: Rng): Triple {
    const [lo, hi] = this.options.blurSigma;
    const o = this.options;
    if (!o.differentSigmaPerAxis || rng.uniform() < o.pIsotropic) {
      const s = rng.uniformIn(lo, hi);
      return [s, s, s];
    }
    return [rng.uniformIn(lo, hi), rng.uniformIn(lo, hi), rng.uniformIn(lo, hi)];
  }

  /** Per-channel sigmas (null: channel untouched); null when the transform does not run. */
  draw(rng: Rng, channels: number): (Triple | null)[] | null {
    if (!(rng.uniform() < this.options.p)) return null;
    const shared = this.options.differentSigmaPerChannel ? null : this.drawSigma(rng);
    const sigmas: (Triple | null)[] = [];
    for (let c = 0; c < channels; c++) {
      sigmas.push(rng.uniform() <= this.options.pPerChannel ? (shared ?? this.drawSigma(rng)) : null);
    }
    return sigmas;
  }

  apply(sample: Sample, rng: Rng): Sample {
    validateSample('GaussianBlurTransform', sample);
    const sigmas = this.draw(rng, sample.shape[0]);
    if (!sigmas || sigmas.every((s) => s === null)) return sample;
    return { ...sample, image: gaussianBlur(sample.image, sample.shape, sigmas) };
  }
}
