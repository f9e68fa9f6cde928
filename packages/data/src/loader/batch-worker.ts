import { parentPort, workerData } from 'node:worker_threads';
import type { Augmentation } from '@openmind-ssl/core';
import { loadAugmentation, type AugmentationSpec } from './augmentation-spec.js';
import { buildBatch, type BatchSettings, type PatchBatch, type StoreCase } from './build-batch.js';
import { CaseCache } from './case-cache.js';

/** What a batch worker is started with. */
export interface BatchWorkerData {
  cases: StoreCase[];
  settings: BatchSettings;
  augmentation: AugmentationSpec | null;
  /** Cases kept open per worker. */
  cacheSize: number;
}

/** A worker's answer: the batch (its arrays transferred, not copied) or the error that stopped it. */
export type BatchWorkerReply = { iteration: number; ok: true; batch: PatchBatch } | { iteration: number; ok: false; error: string };

const port = parentPort;
if (port) {
  const { cases, settings, augmentation, cacheSize } = workerData as BatchWorkerData;
  const cache = new CaseCache(cacheSize);
  const ready: Promise<Augmentation | undefined> = augmentation ? loadAugmentation(augmentation) : Promise.resolve(undefined);
  // Requests are handled strictly one after another, in arrival order.
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (msg: { iteration: number }) => {
    chain = chain.then(async () => {
      try {
        const aug = await ready;
        const batch = await buildBatch(msg.iteration, cases, settings, (dir) => cache.get(dir), aug);
        port.postMessage({ iteration: msg.iteration, ok: true, batch } satisfies BatchWorkerReply, [batch.data.buffer as ArrayBuffer, batch.anon.buffer as ArrayBuffer, batch.anat.buffer as ArrayBuffer]);
      } catch (err) {
        port.postMessage({ iteration: msg.iteration, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies BatchWorkerReply);
      }
    });
  });
}
