/**
 * nnU-Net's `ZScoreNormalization` on one channel, in place: over the whole channel, or — with `mask` (nnU-Net:
 * `seg >= 0`, i.e. inside the non-zero region) — with the statistics of the masked voxels, applied to those
 * only (the rest is 0 after cropping to non-zero and stays 0). Population std, floored at 1e-8; sums in float64.
 * @returns the mean and std used.
 */
export function zscoreChannel(channel: Float32Array, mask: ArrayLike<number> | null): { mean: number; std: number } {
  const inside = (i: number) => mask === null || mask[i]! >= 0;
  let n = 0;
  let sum = 0;
  for (let i = 0; i < channel.length; i++) {
    if (!inside(i)) continue;
    sum += channel[i]!;
    n++;
  }
  const mean = n > 0 ? sum / n : 0;
  let sq = 0;
  for (let i = 0; i < channel.length; i++) {
    if (!inside(i)) continue;
    const d = channel[i]! - mean;
    sq += d * d;
  }
  const std = n > 0 ? Math.sqrt(sq / n) : 0;
  const div = Math.max(std, 1e-8);
  for (let i = 0; i < channel.length; i++) if (inside(i)) channel[i] = (channel[i]! - mean) / div;
  return { mean, std };
}
