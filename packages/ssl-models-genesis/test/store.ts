import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SSLMethod } from '@openmind-ssl/core';
import { generateSyntheticOpenMind, PatchLoader, preprocessDataset, toHostBatch } from '@openmind-ssl/data';
import type { ConformanceBatches } from '@openmind-ssl/testing';

let store: Promise<string> | undefined;

/** A small preprocessed synthetic OpenMind store (3 subjects, 32 mm heads), made once per test file. */
export function syntheticStore(): Promise<string> {
  store ??= (async () => {
    const root = mkdtempSync(join(tmpdir(), 'om-genesis-'));
    await generateSyntheticOpenMind({ out: root, subjects: 3, seed: 4, sizeMm: 32 });
    return (await preprocessDataset({ input: root, out: join(root, 'preprocessed'), workers: 0 })).dataDir;
  })();
  return store;
}

/** The method's own batches through the loader and its view sampler (a module spec, imported in process). */
export function viewBatches(seed: number, batchSize: number, patch: readonly [number, number, number], method: SSLMethod): ConformanceBatches {
  const pipeline = method.dataPipeline!();
  const open: PatchLoader[] = [];
  return {
    async *batches(fromStep: number) {
      const loader = await PatchLoader.open({
        store: await syntheticStore(), batchSize, patchSize: [...pipeline.loaderPatchSize] as [number, number, number],
        finalPatchSize: [...patch] as [number, number, number], seed, workers: 0, startIteration: fromStep, views: pipeline.views!,
      });
      open.push(loader);
      for (;;) yield toHostBatch(await loader.next());
    },
    async close() {
      await Promise.all(open.map((l) => l.close()));
    },
  };
}
