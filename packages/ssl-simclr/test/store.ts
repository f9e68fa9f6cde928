import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostBatch, SSLMethod } from '@openmind-ssl/core';
import { generateSyntheticOpenMind, PatchLoader, preprocessDataset, toHostBatch } from '@openmind-ssl/data';
import type { ConformanceBatches } from '@openmind-ssl/testing';

let store: Promise<string> | undefined;

/** A small preprocessed synthetic OpenMind store (3 subjects, 32 mm heads), made once per test file. */
export function syntheticStore(): Promise<string> {
  store ??= (async () => {
    const root = mkdtempSync(join(tmpdir(), 'om-simclr-'));
    await generateSyntheticOpenMind({ out: root, subjects: 3, seed: 4, sizeMm: 32 });
    return (await preprocessDataset({ input: root, out: join(root, 'preprocessed'), workers: 0 })).dataDir;
  })();
  return store;
}

/** Opens the loader on the synthetic store with the method's own data pipeline (loader patch, view sampler, augmentation). */
export async function methodLoader(method: SSLMethod, o: { seed: number; batchSize: number; workers: number; startIteration?: number }): Promise<PatchLoader> {
  const pipeline = method.dataPipeline!();
  return PatchLoader.open({
    store: await syntheticStore(), batchSize: o.batchSize, patchSize: [...pipeline.loaderPatchSize] as [number, number, number],
    seed: o.seed, workers: o.workers, startIteration: o.startIteration ?? 0, views: pipeline.views!,
  });
}

/**
 * The method's batches through the real loader path, in process (the conformance suite's `batches`):
 * the loader's first `cycle` batches, repeated. A short run must show the loss fall, which fresh random
 * crops of a 3-subject store make too noisy to see in 20 steps; step s gets batch s mod `cycle`.
 */
export function cycledViewBatches(cycle: number) {
  return (seed: number, batchSize: number, _patch: readonly [number, number, number], method: SSLMethod): ConformanceBatches => ({
    async *batches(fromStep: number) {
      const loader = await methodLoader(method, { seed, batchSize, workers: 0 });
      const first: HostBatch[] = [];
      try {
        for (let i = 0; i < cycle; i++) first.push(toHostBatch(await loader.next()));
      } finally {
        await loader.close();
      }
      for (let s = fromStep; ; s++) yield first[s % cycle]!;
    },
  });
}
