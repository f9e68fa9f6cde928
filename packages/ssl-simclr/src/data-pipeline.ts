import type { DataPipeline } from '@openmind-ssl/core';

/** The view names of a SimCLR batch: crop j of `reference` pairs with crop j of `overlap`. */
export const SIMCLR_VIEWS = ['reference', 'overlap'] as const;

/**
 * nnssl's SimCLR data (nnssl-spec §3.5): a plain random crop of `loaderPatchSize` per image, cut in the data
 * workers into `pairs` reference crops and as many overlapping crops (≥ ⌊crop·minOverlap⌋ voxels shared
 * along every axis) by @openmind-ssl/data's overlappingCropsSampler, each crop augmented independently by
 * @openmind-ssl/augment's simclrCropAugmentation (none when `augment` is off).
 */
export function simclrDataPipeline(o: {
  cropSize: readonly [number, number, number];
  loaderPatchSize: readonly [number, number, number];
  pairs: number;
  minOverlap: number;
  augment: boolean;
}): DataPipeline {
  const augmentation = o.augment ? { augmentation: { module: '@openmind-ssl/augment', exportName: 'simclrCropAugmentation' } } : {};
  return {
    loaderPatchSize: [...o.loaderPatchSize] as [number, number, number],
    views: {
      sampler: {
        module: '@openmind-ssl/data',
        exportName: 'overlappingCropsSampler',
        args: [{ cropSize: [...o.cropSize], pairs: o.pairs, minOverlap: o.minOverlap }],
      },
      views: SIMCLR_VIEWS.map((name) => ({ name, crops: o.pairs, ...augmentation })),
    },
  };
}
