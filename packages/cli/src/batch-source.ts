import type { BatchSource, DataPipeline, HostBatch } from '@openmind/core';
import { PatchLoader, type PatchBatch } from '@openmind/data';

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
}

/** The loader's batch with its masks as 0/1 uint8 (1 = defaced voxel / anatomy voxel). */
export function toHostBatch(b: PatchBatch): HostBatch {
  return {
    image: b.data,
    shape: b.shape,
    masks: {
      anonymization: Uint8Array.from(b.anon, (v) => (v > 0 ? 1 : 0)),
      anatomy: Uint8Array.from(b.anat, (v) => (v > 0 ? 1 : 0)),
    },
  };
}

/** A trainer batch source over the patch loader; each stream starts at the trainer's step (exact resume). */
export function patchBatchSource(s: LoaderSettings): BatchSource & { close(): Promise<void> } {
  const open: PatchLoader[] = [];
  return {
    async *batches(fromStep: number) {
      const loader = await PatchLoader.open({
        store: s.store,
        batchSize: s.batchSize,
        patchSize: [...(s.pipeline?.loaderPatchSize ?? s.patchSize)] as [number, number, number],
        finalPatchSize: s.patchSize,
        seed: s.seed,
        workers: s.workers,
        iterationsPerEpoch: s.iterationsPerEpoch,
        startIteration: fromStep,
        anatomyOversampling: s.anatomyOversampling,
        ...(s.pipeline?.augmentation ? { augmentation: s.pipeline.augmentation } : {}),
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
