export type { SegmentationDatasetJson } from './dataset-json.js';
export { MAX_LABEL_VALUE, parseDatasetJson } from './dataset-json.js';
export type { RawCaseFiles, SegmentationDataset } from './open-dataset.js';
export { openSegmentationDataset } from './open-dataset.js';
export type { RawSegmentationCase } from './load-raw-case.js';
export { GRID_TOLERANCE, loadCaseFiles, loadRawCase } from './load-raw-case.js';
export { validateSegmentationDataset } from './validate-dataset.js';
export { segmentationTaskDataset } from './task-dataset.js';
