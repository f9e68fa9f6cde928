import type { DataPipeline } from '@openmind-ssl/core';

/**
 * nnssl's VoCo data (nnssl-spec §3.6): a plain random crop of crop × grid per image, cut in the data workers
 * by @openmind-ssl/data's gridCropsSampler into the grid of base crops (view `base`) and `targets` random
 * crops (view `target`) with their overlap labels (target `overlaps`, [targets, bases]); every crop is
 * augmented independently by @openmind-ssl/augment's simclrCropAugmentation (none when `augment` is off).
 */
export function vocoDataPipeline(o: { cropSize: readonly [number, number, number]; grid: readonly [number, number, number]; targets: number; augment: boolean }): DataPipeline {
  const augmentation = o.augment ? { augmentation: { module: '@openmind-ssl/augment', exportName: 'simclrCropAugmentation' } } : {};
  return {
    loaderPatchSize: [o.cropSize[0] * o.grid[0], o.cropSize[1] * o.grid[1], o.cropSize[2] * o.grid[2]],
    views: {
      sampler: { module: '@openmind-ssl/data', exportName: 'gridCropsSampler', args: [{ grid: [...o.grid], targets: o.targets }] },
      views: [
        { name: 'base', crops: o.grid[0] * o.grid[1] * o.grid[2], ...augmentation },
        { name: 'target', crops: o.targets, ...augmentation },
      ],
    },
  };
}
