import { Rng } from '@openmind-ssl/core';
import type { SegmentationCase, Vec3 } from '../contract.js';
import { sampleClassLocations } from '../preprocess/class-locations.js';

/**
 * An in-memory preprocessed case [C, ...shape]: noise image, class k a cube of side `size` at `at[k-1]`,
 * −1 in the first `outside` planes of axis 0. Class locations sampled as preprocessing does.
 */
export function makeCase(id: string, shape: Vec3, options: { channels?: number; at?: Vec3[]; size?: number; outside?: number; ignoreLabel?: number | null; seed?: number } = {}): SegmentationCase {
  const [D, H, W] = shape;
  const n = D * H * W;
  const C = options.channels ?? 1;
  const rng = new Rng(options.seed ?? 7);
  const image = rng.fillNormal(new Float32Array(C * n));
  const label = new Int16Array(n);
  const size = options.size ?? 2;
  (options.at ?? []).forEach((p, k) => {
    for (let z = p[0]; z < p[0] + size; z++) for (let y = p[1]; y < p[1] + size; y++) for (let x = p[2]; x < p[2] + size; x++) label[(z * H + y) * W + x] = k + 1;
  });
  for (let i = 0; i < (options.outside ?? 0) * H * W; i++) label[i] = -1;
  const classes = (options.at ?? []).map((_, k) => k + 1);
  const { classLocations, annotatedLocations } = sampleClassLocations(label, classes, options.ignoreLabel ?? null);
  return {
    id,
    image,
    shape: [C, D, H, W],
    label,
    classLocations,
    ...(annotatedLocations ? { annotatedLocations } : {}),
    geometry: { fileShape: [W, H, D], transpose: [0, 1, 2], shapeBeforeCrop: shape, cropBox: [[0, D], [0, H], [0, W]], spacing: [1, 1, 1], resampledShape: shape },
  };
}
