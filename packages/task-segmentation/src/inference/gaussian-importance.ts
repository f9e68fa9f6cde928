import type { Vec3 } from '../contract.js';
import { roundToFloat16 } from './half-precision-round.js';

/** Options of {@link gaussianImportanceMap}. */
export interface GaussianOptions {
  /** σ as a fraction of the patch per axis; nnU-Net's 1/8. */
  sigmaScale?: number;
  /** Value at the centre after scaling; nnU-Net's `value_scaling_factor` 10. */
  peak?: number;
  /**
   * 'float32' (default) keeps the map in float32; 'float16' rounds it to half precision as nnU-Net does
   * (its buffers are fp16), for users who need nnU-Net's exact weights.
   */
  precision?: 'float32' | 'float16';
}

/**
 * nnU-Net's Gaussian importance map (`compute_gaussian`): a unit impulse at `patch // 2` filtered with
 * `scipy.ndimage.gaussian_filter(σ = patch · 1/8, mode='constant')`, scaled so its maximum is 10; entries
 * that are 0 after the cast are replaced by the smallest non-zero entry, so no voxel gets zero weight.
 *
 * The filtered impulse is separable: along each axis it is exp(−d²/2σ²) normalised over the kernel support
 * (radius ⌊4σ + ½⌋, which always covers the patch), so the product of the three profiles scaled to
 * `peak` is the same map without running a filter.
 *
 * @returns `[P0, P1, P2]` row-major float32 weights.
 * @see finetune-spec §1.9 item 3 (values for 160³ in §4)
 */
export function gaussianImportanceMap(patch: Vec3, options: GaussianOptions = {}): Float32Array {
  const sigmaScale = options.sigmaScale ?? 1 / 8;
  const peak = options.peak ?? 10;
  const profiles = patch.map((p) => profile(p, p * sigmaScale));
  const [p0, p1, p2] = patch;
  const centre = profiles.reduce((acc, pr, a) => acc * pr[Math.floor(patch[a]! / 2)]!, 1);
  const scale = peak / centre;
  const out = new Float32Array(p0 * p1 * p2);
  const half = options.precision === 'float16';
  let o = 0;
  for (let i = 0; i < p0; i++) {
    const a = profiles[0]![i]! * scale;
    for (let j = 0; j < p1; j++) {
      const ab = a * profiles[1]![j]!;
      for (let k = 0; k < p2; k++) {
        const v = ab * profiles[2]![k]!;
        out[o++] = half ? roundToFloat16(v) : v;
      }
    }
  }
  let minNonZero = Infinity;
  for (const v of out) if (v > 0 && v < minNonZero) minNonZero = v;
  for (let i = 0; i < out.length; i++) if (out[i] === 0) out[i] = minNonZero;
  return out;
}

/** The 1-D profile of scipy's Gaussian filter applied to an impulse at p // 2 (float64). */
function profile(p: number, sigma: number): Float64Array {
  const radius = Math.floor(4 * sigma + 0.5);
  const centre = Math.floor(p / 2);
  let norm = 0;
  for (let d = -radius; d <= radius; d++) norm += Math.exp(-0.5 * (d * d) / (sigma * sigma));
  const out = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const d = i - centre;
    out[i] = Math.abs(d) <= radius ? Math.exp(-0.5 * (d * d) / (sigma * sigma)) / norm : 0;
  }
  return out;
}
