import { OpenMindError, type Sample } from '@openmind-ssl/core';
import type { Shape3 } from '../preprocess/volume.js';

/** An axis-aligned box of a sample: first voxel and size per spatial axis. */
export interface Box3 {
  start: Shape3;
  size: Shape3;
}

/** `[x0, y0, z0, x1, y1, z1]` (end exclusive), the row a box target holds. */
export function boxRow(b: Box3): number[] {
  return [...b.start, b.start[0] + b.size[0], b.start[1] + b.size[1], b.start[2] + b.size[2]];
}

/** Voxels two boxes share. */
export function intersectionVolume(a: Box3, b: Box3): number {
  let v = 1;
  for (let d = 0; d < 3; d++) {
    const lo = Math.max(a.start[d]!, b.start[d]!);
    const hi = Math.min(a.start[d]! + a.size[d]!, b.start[d]! + b.size[d]!);
    v *= Math.max(0, hi - lo);
  }
  return v;
}

/** Checks that a crop of `size` fits into the sample's spatial shape. */
export function checkCropFits(op: string, shape: readonly number[], size: Shape3): void {
  if (!size.every((s, d) => Number.isInteger(s) && s > 0 && s <= shape[d + 1]!)) {
    throw new OpenMindError(`${op}: crops of [${size.join(', ')}] must fit the loaded patch [${shape.slice(1).join(', ')}]; raise the loader patch size (DataPipeline.loaderPatchSize) or shrink the crops.`);
  }
}

/** Copies a box that lies inside the sample out of its image and every mask. */
export function cutBox(sample: Sample, box: Box3): Sample {
  const [, X, Y, Z] = sample.shape;
  const [sx, sy, sz] = box.start;
  const [px, py, pz] = box.size;
  const cut = <T extends Float32Array | Uint8Array | Int32Array>(src: T, channels: number): T => {
    const out = new (src.constructor as new (n: number) => T)(channels * px * py * pz);
    for (let c = 0; c < channels; c++) {
      for (let x = 0; x < px; x++) {
        for (let y = 0; y < py; y++) {
          const from = ((c * X + sx + x) * Y + sy + y) * Z + sz;
          out.set(src.subarray(from, from + pz), ((c * px + x) * py + y) * pz);
        }
      }
    }
    return out;
  };
  const masks: NonNullable<Sample['masks']> = {};
  for (const [name, m] of Object.entries(sample.masks ?? {})) masks[name] = { data: cut(m.data, m.channels), channels: m.channels };
  return { image: cut(sample.image, sample.shape[0]), shape: [sample.shape[0], px, py, pz], masks };
}
