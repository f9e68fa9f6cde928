export { Optimizer, type OptimizerState, type ParamGroup, type ParamGroupInit } from './optimizer.js';
export { SGD, type SgdOptions } from './sgd.js';
export { AdamW, type AdamWOptions } from './adamw.js';
export { clipGradNorm } from './clip-grad-norm.js';
export { emaUpdate } from './ema.js';
export * from './schedules/lr-schedule.js';
export * from './schedules/fine-tuning.js';
export * from './schedules/apply-schedule.js';
