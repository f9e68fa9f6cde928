import { parentPort, workerData } from 'node:worker_threads';
import type { CaseStorageOptions } from '../store/case-writer.js';
import type { CaseSettings } from './preprocess-case.js';
import type { PreprocessInputCase } from './preprocess-input.js';
import { processOneCase } from './process-one-case.js';

/** Worker entry of `preprocessDataset`: preprocesses the cases it is sent, one at a time. */
export interface PreprocessWorkerData {
  settings: CaseSettings;
  storage: CaseStorageOptions;
  dataDir: string;
}

/** A case to do. */
export interface PreprocessTask {
  index: number;
  case: PreprocessInputCase;
}

/** The outcome of one case. */
export type PreprocessTaskResult = { index: number; ok: true; shape: number[] } | { index: number; ok: false; error: string };

const port = parentPort;
if (port) {
  const { settings, storage, dataDir } = workerData as PreprocessWorkerData;
  port.on('message', (task: PreprocessTask) => {
    processOneCase(task.case, settings, storage, dataDir).then(
      (shape) => port.postMessage({ index: task.index, ok: true, shape } satisfies PreprocessTaskResult),
      (err: unknown) => port.postMessage({ index: task.index, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies PreprocessTaskResult),
    );
  });
}
