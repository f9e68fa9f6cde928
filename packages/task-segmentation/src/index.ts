import { segmentationPlugin } from './plugin.js';

export default segmentationPlugin;
export { segmentationConfigSchema, segmentationPlugin, segmentationTaskFactory, type SegmentationConfig } from './plugin.js';
export type { CaseGeometry, SegmentationBatch, SegmentationCase, SegmentationPlan, SpacingMode, Vec3 } from './contract.js';
// nnU-Net v2 raw dataset: dataset.json, case files, validation, core's TaskDataset (src/dataset)
export * from './dataset/index.js';
// the fine-tuning plan from a checkpoint's adaptation plan and the dataset (src/plan)
export * from './plan/index.js';
// preprocessing, the preprocessed folder and its reader, inference preprocessing (src/preprocess)
export * from './preprocess/index.js';
export { NumpyRandomState } from './random/numpy-random-state.js';
// nnU-Net's patch sampling: oversampling rule, crop bounds, batch generator (src/sampling)
export * from './sampling/index.js';
// nnU-Net's training augmentation (src/augment)
export * from './augment/index.js';
// nnU-Net's 5-fold cross-validation split, splits_final.json (src/splits)
export * from './splits/index.js';
// sliding-window prediction, back to the input's grid, NIfTI output (src/inference)
export * from './inference/index.js';
// nnU-Net's metrics and summary.json, normalised surface Dice (src/evaluation)
export * from './evaluation/index.js';
// Dice + CE and deep supervision (src/loss)
export * from './loss/index.js';
// the downstream network and pre-trained weight loading (src/network)
export * from './network/index.js';
// the fine-tuning schedules (src/schedules)
export * from './schedules/index.js';
// what exported models carry (src/export)
export * from './export/index.js';
// the fine-tuning trainer, checkpoints, save/load of the fine-tuned model (src/train)
export * from './train/index.js';
// the whole fine-tuning job: plan, preprocess, split, network, schedule, train, final validation (src/run)
export * from './run/index.js';
