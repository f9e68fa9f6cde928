/** Mean and standard deviation used for one channel. */
export interface ZScoreStats {
  mean: number;
  std: number;
}

/**
 * Z-score normalisation in place, as nnU-Net's `ZScoreNormalization` with `use_mask_for_norm=False`:
 * `(x − mean) / max(std, 1e-8)` over the whole channel (population std). Statistics are accumulated in
 * float64 (numpy accumulates float32 pairwise, so values agree to about 1e-6 relative).
 *
 * @param data `[C, n]` float32, normalised per channel in place.
 * @returns the statistics of each channel.
 */
export function zscoreInPlace(data: Float32Array, channels: number): ZScoreStats[] {
  const n = data.length / channels;
  const stats: ZScoreStats[] = [];
  for (let c = 0; c < channels; c++) {
    const ch = data.subarray(c * n, (c + 1) * n);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += ch[i]!;
    const mean = sum / n;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const d = ch[i]! - mean;
      sq += d * d;
    }
    const std = Math.sqrt(sq / n);
    const div = Math.max(std, 1e-8);
    for (let i = 0; i < n; i++) ch[i] = (ch[i]! - mean) / div;
    stats.push({ mean, std });
  }
  return stats;
}
