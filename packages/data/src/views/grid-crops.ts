import { OpenMindError, type Rng, type SampledViews, type SourceSample, type ViewSampler } from '@openmind-ssl/core';
import type { Shape3 } from '../preprocess/volume.js';
import { boxRow, checkCropFits, cutBox, intersectionVolume, type Box3 } from './crop-box.js';

/** Options of {@link gridCropsSampler}. */
export interface GridCropsOptions {
  /** Base crops per axis; the loaded patch must divide exactly (VoCo: [4, 4, 1] of 256×256×64). */
  grid: Shape3;
  /** Random target crops per sample (VoCo: 4). */
  targets: number;
}

/**
 * VoCo's crops: the loaded patch tiled into a grid of non-overlapping base crops (order: axis 0 outer,
 * axis 2 inner) plus random target crops of the same size placed uniformly inside the patch.
 *
 * Views: `base` (grid[0]·grid[1]·grid[2] crops) and `target` (`targets` crops).
 * Targets: `overlaps` float32 [targets, bases] — the fraction of target t that base n covers (each row sums
 * to 1) — and `targetBoxes` int32 [targets, 6] (`[x0, y0, z0, x1, y1, z1]`, end exclusive).
 */
export function gridCropsSampler(options: GridCropsOptions): ViewSampler {
  const grid = [...options.grid] as Shape3;
  const count = options.targets;
  if (!grid.every((g) => Number.isInteger(g) && g > 0)) throw new OpenMindError(`gridCropsSampler: grid must be three positive integers, but got [${grid.join(', ')}].`);
  if (!Number.isInteger(count) || count < 1) throw new OpenMindError(`gridCropsSampler: targets must be a positive integer, but got ${count}.`);
  return {
    name: 'grid-crops',
    sample(source: SourceSample, rng: Rng): SampledViews {
      const spatial = source.shape.slice(1);
      if (spatial.some((s, d) => s % grid[d]! !== 0)) {
        throw new OpenMindError(`gridCropsSampler: the loaded patch [${spatial.join(', ')}] must divide exactly into the grid [${grid.join(', ')}].`);
      }
      const size = spatial.map((s, d) => s / grid[d]!) as Shape3;
      checkCropFits('gridCropsSampler', source.shape, size);
      const bases: Box3[] = [];
      for (let i = 0; i < grid[0]; i++) for (let j = 0; j < grid[1]; j++) for (let k = 0; k < grid[2]; k++) {
        bases.push({ start: [i * size[0], j * size[1], k * size[2]], size });
      }
      const targets: Box3[] = [];
      for (let t = 0; t < count; t++) targets.push({ start: [0, 1, 2].map((d) => rng.int(0, spatial[d]! - size[d]! + 1)) as Shape3, size });
      const voxels = size[0] * size[1] * size[2];
      const overlaps = new Float32Array(count * bases.length);
      targets.forEach((t, ti) => bases.forEach((b, bi) => (overlaps[ti * bases.length + bi] = intersectionVolume(t, b) / voxels)));
      return {
        views: { base: bases.map((b) => cutBox(source, b)), target: targets.map((b) => cutBox(source, b)) },
        targets: {
          overlaps: { data: overlaps, shape: [count, bases.length] },
          targetBoxes: { data: Int32Array.from(targets.flatMap(boxRow)), shape: [count, 6] },
        },
      };
    },
  };
}
