import { PNG } from 'pngjs';

/**
 * The middle slice along the first spatial axis of an [X, Y, Z] volume as a grayscale PNG scaled from
 * [lo, hi] to [0, 255], enlarged `zoom` times (nearest neighbour); rows flipped so the first Y index is at
 * the bottom, as the CLI's reconstruction previews draw them.
 */
export function middleSlicePng(volume: ArrayLike<number>, shape: readonly [number, number, number], lo: number, hi: number, zoom = 4): Uint8Array {
  const [d, h, w] = shape;
  const z = Math.floor(d / 2);
  const png = new PNG({ width: w * zoom, height: h * zoom });
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  for (let y = 0; y < h * zoom; y++) {
    for (let x = 0; x < w * zoom; x++) {
      const v = volume[(z * h + (h - 1 - Math.floor(y / zoom))) * w + Math.floor(x / zoom)]!;
      const g = Math.max(0, Math.min(255, Math.round((v - lo) * scale)));
      png.data.set([g, g, g, 255], (y * w * zoom + x) * 4);
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** 1st and 99th percentile of the values (a robust display window for the fused input). */
export function displayWindow(values: ArrayLike<number>): [number, number] {
  const sorted = Float32Array.from(values).sort();
  return [sorted[Math.floor(0.01 * (sorted.length - 1))]!, sorted[Math.floor(0.99 * (sorted.length - 1))]!];
}
