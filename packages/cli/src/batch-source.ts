import type { BatchSource, DataPipeline, HostBatch } from '@openmind-ssl/core';
import { PatchLoader, toHostBatch as hostBatchOf, type PatchBatch } from '@openmind-ssl/data';

/** Loader settings shared by every batch stream of a run. */
export interface LoaderSettings {
  store: string;
  batchSize: number;
  patchSize: [number, number, number];
  pipeline: DataPipeline | undefined;
  seed: number;
  workers: number;
  iterationsPerEpoch: number;
  anatomyOversampling: number;
  /** Only these cases of the store (one side of the train/val split); default all. */
  caseIds?: readonly string[];
}

/** The loader's batch with its masks as 0/1 uint8 (1 = defaced voxel / anatomy voxel), views and targets. */
export function toHostBatch(b: PatchBatch): HostBatch {
  return hostBatchOf(b);
}

/**
 * Validation batches as nnssl's validation loader makes them: random crops of the network's patch size
 * from the validation cases, no augmentation, their own seed. A multi-view pipeline keeps its loader crop
 * and view sampler (the method needs its views), without the views' augmentations.
 */
export function validationBatchSource(s: LoaderSettings, valCaseIds: readonly string[], iterationsPerEpoch: number): BatchSource & { close(): Promise<void> } {
  const views = s.pipeline?.views;
  const pipeline: DataPipeline | undefined = views && s.pipeline
    ? { loaderPatchSize: s.pipeline.loaderPatchSize, views: { sampler: views.sampler, views: views.views.map(({ augmentation: _, ...v }) => v) } }
    : undefined;
  return patchBatchSource({
    ...s, caseIds: valCaseIds, pipeline, seed: s.seed + 1, workers: Math.max(1, Math.floor(s.workers / 2)), iterationsPerEpoch,
  });
}

/** A trainer batch source over the patch loader; each stream starts at the trainer's step (exact resume). */
export function patchBatchSource(s: LoaderSettings): BatchSource & { close(): Promise<void> } {
  const open: PatchLoader[] = [];
  return {
    async *batches(fromStep: number) {
      const loader = await PatchLoader.open({
        store: s.store,
        ...(s.caseIds ? { caseIds: s.caseIds } : {}),
        batchSize: s.batchSize,
        patchSize: [...(s.pipeline?.loaderPatchSize ?? s.patchSize)] as [number, number, number],
        finalPatchSize: s.patchSize,
        seed: s.seed,
        workers: s.workers,
        iterationsPerEpoch: s.iterationsPerEpoch,
        startIteration: fromStep,
        anatomyOversampling: s.anatomyOversampling,
        ...(s.pipeline?.augmentation ? { augmentation: s.pipeline.augmentation } : {}),
        ...(s.pipeline?.views ? { views: s.pipeline.views } : {}),
      });
      open.push(loader);
      try {
        for await (const b of loader) yield toHostBatch(b);
      } finally {
        await loader.close();
      }
    },
    async close() {
      await Promise.all(open.map((l) => l.close()));
    },
  };
}
