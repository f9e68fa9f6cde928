import type { LabelledCase, TaskDataset } from '@openmind-ssl/core';
import { loadRawCase } from './load-raw-case.js';
import type { SegmentationDataset } from './open-dataset.js';

/**
 * Core's {@link TaskDataset} view of a raw dataset: channels and classes (ignore label excluded) from
 * dataset.json, cases in sorted order; `read` returns the case unpreprocessed in array-axis order, the label
 * map as its target. Preprocessed cases come from `openPreprocessedSegmentation`.
 */
export function segmentationTaskDataset(dataset: SegmentationDataset): TaskDataset {
  return {
    inChannels: dataset.json.channelNames.length,
    outputs: dataset.json.numClasses,
    caseIds: dataset.cases.map((c) => c.id),
    async read(caseId: string): Promise<LabelledCase> {
      const raw = await loadRawCase(dataset, caseId);
      return { id: raw.id, image: raw.image, shape: raw.shape, target: Int32Array.from(raw.label!) };
    },
  };
}
