import { PNG } from 'pngjs';

/**
 * The middle slice along the first spatial axis of sample 0, channel 0 of an [N, C, D, H, W] volume, as a
 * grayscale PNG scaled to [lo, hi] (so input and reconstruction share one intensity window) and enlarged
 * `zoom` times with nearest-neighbour pixels.
 */
export function middleSlicePng(volume: Float32Array, shape: readonly number[], lo: number, hi: number, zoom = 4): Buffer {
  const [, , d, h, w] = shape as [number, number, number, number, number];
  const z = Math.floor(d / 2);
  const png = new PNG({ width: w * zoom, height: h * zoom });
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  for (let y = 0; y < h * zoom; y++) {
    for (let x = 0; x < w * zoom; x++) {
      // Image rows go top-down; flip so the first H index is at the bottom, as radiological viewers show it.
      const v = volume[(z * h + (h - 1 - Math.floor(y / zoom))) * w + Math.floor(x / zoom)]!;
      const g = Math.max(0, Math.min(255, Math.round((v - lo) * scale)));
      const o = (y * w * zoom + x) * 4;
      png.data[o] = g;
      png.data[o + 1] = g;
      png.data[o + 2] = g;
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** 1st and 99th percentile of sample 0 (a robust display window). */
export function displayWindow(volume: Float32Array, sampleSize: number): [number, number] {
  const sorted = Float32Array.from(volume.subarray(0, sampleSize)).sort();
  return [sorted[Math.floor(0.01 * (sorted.length - 1))]!, sorted[Math.floor(0.99 * (sorted.length - 1))]!];
}
