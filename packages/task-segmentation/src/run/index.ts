export { runSegmentationFinetune, scratchAdaptationPlan, type SegmentationFinetuneOptions, type SegmentationFinetuneResult } from './run-finetune.js';
