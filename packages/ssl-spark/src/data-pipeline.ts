import { maeInitialPatchSize } from '@openmind-ssl/augment';
import type { DataPipeline } from '@openmind-ssl/core';

/**
 * SparkMAETrainer inherits BaseMAETrainer's pipeline: crops enlarged for ±30° rotation and 0.85 scale,
 * rotated/scaled/mirrored in the data workers and centre-cropped to the patch (nnssl-spec §3.1, §3.2).
 */
export function sparkDataPipeline(patchSize: readonly [number, number, number]): DataPipeline {
  const patch = [...patchSize] as [number, number, number];
  return {
    loaderPatchSize: maeInitialPatchSize(patch),
    augmentation: { module: '@openmind-ssl/augment', exportName: 'maeSpatialPipeline', args: [patch] },
  };
}
