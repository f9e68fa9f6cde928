export type { CaseGeometry, SegmentationBatch, SegmentationCase, SegmentationPlan, SpacingMode, Vec3 } from './contract.js';
export * from './loss/index.js';
export * from './network/index.js';
export * from './schedules/index.js';
