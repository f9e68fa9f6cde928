export type { CaseGeometry, SegmentationBatch, SegmentationCase, SegmentationPlan, SpacingMode, Vec3 } from './contract.js';
export * from './inference/index.js';
export * from './evaluation/index.js';
