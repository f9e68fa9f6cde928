import type { Sample } from '@openmind-ssl/core';
import type { Triple, VolumeShape, VoxelArray } from '../types.js';
import { mapMasks } from '../map-masks.js';

/**
 * Copies the box [start, start + size) of every channel of a (C, X, Y, Z) volume. Parts of the box outside
 * the volume are filled with `fill`, like batchgenerators' crop with constant padding.
 * @param data - [C, X, Y, Z] row-major voxels; the result has the same element type.
 * @param shape - [C, X, Y, Z] of `data`.
 * @param start - first voxel of the box per spatial axis; may be negative.
 * @param size - box size per spatial axis.
 */
export function cropVolume<T extends VoxelArray>(data: T, shape: VolumeShape, start: Triple, size: Triple, fill = 0): T {
  const [C, X, Y, Z] = shape;
  const [sx, sy, sz] = start;
  const [px, py, pz] = size;
  const out = new (data.constructor as new (n: number) => T)(C * px * py * pz);
  const inside = sx >= 0 && sy >= 0 && sz >= 0 && sx + px <= X && sy + py <= Y && sz + pz <= Z;
  if (!inside && fill !== 0) out.fill(fill);
  const z0 = Math.max(0, sz);
  const z1 = Math.min(Z, sz + pz);
  if (z1 <= z0) return out;
  for (let c = 0; c < C; c++) {
    for (let x = Math.max(0, sx); x < Math.min(X, sx + px); x++) {
      for (let y = Math.max(0, sy); y < Math.min(Y, sy + py); y++) {
        const src = ((c * X + x) * Y + y) * Z;
        const dst = ((c * px + (x - sx)) * py + (y - sy)) * pz + (z0 - sz);
        // A plain loop: a subarray per row costs more than the copy for short rows.
        for (let z = z0; z < z1; z++) out[dst + z - z0] = data[src + z]!;
      }
    }
  }
  return out;
}

/** First voxel of a centred box: (shape - size) // 2 per axis (floor, so negative when the box is larger). */
export function centerCropStart(spatialShape: Triple, size: Triple): Triple {
  return [
    Math.floor((spatialShape[0] - size[0]) / 2),
    Math.floor((spatialShape[1] - size[1]) / 2),
    Math.floor((spatialShape[2] - size[2]) / 2),
  ];
}

/**
 * Crops the image and every mask of a sample to the same box; outside voxels become 0.
 * @param start - first voxel per spatial axis (may be negative: zero padding).
 * @param size - output spatial size.
 */
export function cropSample(sample: Sample, start: Triple, size: Triple): Sample {
  const [C, X, Y, Z] = sample.shape;
  const image = cropVolume(sample.image, sample.shape, start, size);
  const masks = mapMasks(sample.masks, (data, channels) => cropVolume(data, [channels, X, Y, Z], start, size));
  return { image, shape: [C, size[0], size[1], size[2]], ...(masks ? { masks } : {}) };
}
