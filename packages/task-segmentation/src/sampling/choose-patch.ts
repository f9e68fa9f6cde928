import type { Rng } from '@openmind-ssl/core';
import type { SegmentationCase, Vec3 } from '../contract.js';
import type { CropBounds } from './crop-bounds.js';

/** What {@link choosePatchStart} decided, for logging and tests. */
export interface PatchChoice {
  start: Vec3;
  /** The class the patch was centred on, 'annotated' for an ignore-label random patch, or null for a random crop. */
  centredOn: number | 'annotated' | null;
}

function voxelOf(flat: number, shape: Vec3): Vec3 {
  const plane = shape[1] * shape[2];
  return [Math.floor(flat / plane), Math.floor((flat % plane) / shape[2]), flat % shape[2]];
}

/**
 * nnU-Net's patch placement (`get_bbox`). Not forced: a uniform start within the bounds — or, when the
 * dataset has an ignore label, centred on an annotated voxel so the patch is not all ignored. Forced: a
 * class drawn uniformly among those present in the case, one of its stored voxels drawn uniformly, and the
 * start `max(lower, voxel − patch // 2)` (no upper clamp, as nnU-Net); a case without foreground falls
 * back to a random start.
 * @param patchSize the patch being cropped (the enlarged one for training).
 */
export function choosePatchStart(c: SegmentationCase, forceForeground: boolean, bounds: CropBounds, patchSize: Vec3, rng: Rng, hasIgnore: boolean): PatchChoice {
  const shape: Vec3 = [c.shape[1], c.shape[2], c.shape[3]];
  const random = (): PatchChoice => ({ start: [0, 1, 2].map((d) => rng.int(bounds.lower[d]!, bounds.upper[d]! + 1)) as Vec3, centredOn: null });
  let locations: Uint32Array | null = null;
  let centredOn: number | 'annotated' | null = null;
  if (forceForeground) {
    const present = [...c.classLocations.entries()].filter(([, l]) => l.length > 0).sort(([a], [b]) => a - b);
    if (present.length > 0) {
      const [cls, locs] = present[rng.int(0, present.length)]!;
      locations = locs;
      centredOn = cls;
    }
  } else if (hasIgnore && c.annotatedLocations && c.annotatedLocations.length > 0) {
    locations = c.annotatedLocations;
    centredOn = 'annotated';
  }
  if (!locations) return random();
  const voxel = voxelOf(locations[rng.int(0, locations.length)]!, shape);
  return { start: [0, 1, 2].map((d) => Math.max(bounds.lower[d]!, voxel[d]! - Math.floor(patchSize[d]! / 2))) as Vec3, centredOn };
}
