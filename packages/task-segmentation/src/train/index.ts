export { FineTuneTrainer, TRAINING_LOG, type EpochRecord, type FineTuneEvent, type FineTuneOptions, type SegmentationBatchSource } from './fine-tune-trainer.js';
export {
  CHECKPOINT_BEST, CHECKPOINT_FINAL, CHECKPOINT_LATEST, loadSegmentationModel, saveSegmentationModel, segmentationCheckpointDir,
  type SegmentationModelConfig, type TrainingState,
} from './segmentation-model.js';
export { forwardBatch, segmentationLoss, type SegmentationForward } from './segmentation-loss.js';
export { addDiceCounts, emptyCounts, nanMean, pseudoDice, updateEma, type DiceCounts } from './pseudo-dice.js';
