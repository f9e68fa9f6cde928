import { Rng } from '@openmind-ssl/core';
import type { SegmentationBatch } from '../../src/contract.js';
import type { SegmentationBatchSource } from '../../src/train/fine-tune-trainer.js';

/**
 * Seeded in-memory segmentation batches: a bright ball (label 1) with a brighter core (label 2 when
 * `classes` is 3) in Gaussian noise; batch i is a pure function of (seed, i), so a resumed run sees the
 * same data. `failAt` makes the iterator throw before yielding that batch index (a killed run).
 */
export function syntheticSegmentationBatches(o: { seed: number; batchSize: number; channels: number; size: number; classes: number; failAt?: number }): SegmentationBatchSource {
  const { batchSize: b, channels: c, size: s } = o;
  const voxels = s * s * s;
  const make = (index: number): SegmentationBatch => {
    const rng = new Rng([o.seed, index, 0x5e9, 1]);
    const image = new Float32Array(b * c * voxels);
    const label = new Int16Array(b * voxels);
    for (let n = 0; n < b; n++) {
      const center = [0, 1, 2].map(() => s * (0.3 + 0.4 * rng.uniform()));
      const radius = s * (0.15 + 0.15 * rng.uniform());
      for (let z = 0; z < s; z++) for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) {
        const v = (z * s + y) * s + x;
        const r = Math.hypot(z - center[0]!, y - center[1]!, x - center[2]!);
        const l = r < radius * 0.5 && o.classes > 2 ? 2 : r < radius ? 1 : 0;
        label[n * voxels + v] = l;
        for (let ch = 0; ch < c; ch++) image[(n * c + ch) * voxels + v] = l + 0.7 * rng.normal();
      }
    }
    return { image, label, shape: [b, c, s, s, s] };
  };
  return {
    batches(from: number): AsyncIterator<SegmentationBatch> {
      let i = from;
      return {
        next: async () => {
          if (o.failAt !== undefined && i === o.failAt) throw new Error(`synthetic source: killed before batch ${i}`);
          return { value: make(i++), done: false };
        },
        return: async () => ({ value: undefined, done: true }),
      };
    },
  };
}
