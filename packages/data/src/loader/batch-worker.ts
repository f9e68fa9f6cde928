import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerModuleSpec } from '@openmind-ssl/core';
import { buildBatch, type BatchTransforms, type PatchBatch, type BatchSettings, type StoreCase } from './build-batch.js';
import { CaseCache } from './case-cache.js';
import { batchBuffers } from './host-batch.js';
import { loadTransforms, type ViewPipelineSpec } from './load-transforms.js';

/** What a batch worker is started with. */
export interface BatchWorkerData {
  cases: StoreCase[];
  settings: BatchSettings;
  augmentation: WorkerModuleSpec | null;
  views: ViewPipelineSpec | null;
  /** Cases kept open per worker. */
  cacheSize: number;
}

/** A worker's answer: the batch (its arrays transferred, not copied) or the error that stopped it. */
export type BatchWorkerReply = { iteration: number; ok: true; batch: PatchBatch } | { iteration: number; ok: false; error: string };

const port = parentPort;
if (port) {
  const { cases, settings, augmentation, views, cacheSize } = workerData as BatchWorkerData;
  const cache = new CaseCache(cacheSize);
  const ready: Promise<BatchTransforms> = loadTransforms(augmentation ?? undefined, views ?? undefined);
  // A failed import is reported with every batch, not as an unhandled rejection.
  ready.catch(() => undefined);
  // Requests are handled strictly one after another, in arrival order.
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (msg: { iteration: number }) => {
    chain = chain.then(async () => {
      try {
        const transforms = await ready;
        const batch = await buildBatch(msg.iteration, cases, settings, (dir) => cache.get(dir), transforms);
        port.postMessage({ iteration: msg.iteration, ok: true, batch } satisfies BatchWorkerReply, batchBuffers(batch));
      } catch (err) {
        port.postMessage({ iteration: msg.iteration, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies BatchWorkerReply);
      }
    });
  });
}
