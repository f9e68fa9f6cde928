/** Mean, population standard deviation, min and max of one channel (float64 accumulation). */
export interface ChannelStats {
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Statistics of `data[offset, offset + length)`; std is numpy's default (ddof = 0). */
export function channelStats(data: ArrayLike<number>, offset: number, length: number): ChannelStats {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = offset; i < offset + length; i++) {
    const v = data[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / length;
  let sq = 0;
  for (let i = offset; i < offset + length; i++) {
    const d = data[i]! - mean;
    sq += d * d;
  }
  return { mean, std: Math.sqrt(sq / length), min, max };
}

/** Mean, min and max of one channel in a single pass (no standard deviation). */
export function channelMeanRange(data: ArrayLike<number>, offset: number, length: number): { mean: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = offset; i < offset + length; i++) {
    const v = data[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { mean: sum / length, min, max };
}
