import { loadRawCase } from './load-raw-case.js';
import type { SegmentationDataset } from './open-dataset.js';

/**
 * Reads every case of `dataset` once and checks it (see {@link loadRawCase}): the first bad case stops the
 * run with an error naming the case and the file.
 * @param onCase called after each case with (index + 1, total, id).
 */
export async function validateSegmentationDataset(dataset: SegmentationDataset, onCase?: (done: number, total: number, id: string) => void): Promise<void> {
  for (const [i, c] of dataset.cases.entries()) {
    await loadRawCase(dataset, c.id);
    onCase?.(i + 1, dataset.cases.length, c.id);
  }
}
