import { type BatchSource, type HostBatch, Rng } from '@openmind-ssl/core';

/**
 * Smooth random volumes (sums of a few low-frequency waves plus a sphere), z-scored like preprocessed
 * MRI; batch `s` depends only on (seed, s), so runs are repeatable and resumable.
 */
export function syntheticBatches(seed: number, batchSize: number, patch: readonly [number, number, number]): BatchSource {
  const [d, h, w] = patch;
  return {
    async *batches(fromStep: number) {
      for (let step = fromStep; ; step++) {
        const rng = new Rng([seed, step, 0x5a, 0x17]);
        const image = new Float32Array(batchSize * d * h * w);
        const anatomy = new Uint8Array(image.length);
        for (let n = 0; n < batchSize; n++) {
          const f = [rng.uniformIn(0.2, 0.6), rng.uniformIn(0.2, 0.6), rng.uniformIn(0.2, 0.6)];
          const phase = rng.uniformIn(0, 6);
          const r = rng.uniformIn(0.25, 0.45) * Math.min(d, h, w);
          let o = n * d * h * w;
          for (let z = 0; z < d; z++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++, o++) {
            const inside = (z - d / 2) ** 2 + (y - h / 2) ** 2 + (x - w / 2) ** 2 < r * r;
            image[o] = Math.sin(z * f[0]! + phase) * Math.cos(y * f[1]!) + 0.5 * Math.sin(x * f[2]!) + (inside ? 1 : -0.5);
            anatomy[o] = inside ? 1 : 0;
          }
        }
        const batch: HostBatch = { image, shape: [batchSize, 1, d, h, w], masks: { anatomy, anonymization: new Uint8Array(image.length) } };
        yield batch;
      }
    },
  };
}
