export { type ClassifierGroup, cosineWarmstart, fullSchedule, linearProbeSchedule, loraSchedule, sawtoothSchedule } from './lr-schedule.js';
export { binaryCrossEntropyWithLogits, classificationLoss } from './losses.js';
export { batchOf, type EpochRecord, evaluateClassifier, type FineTuneMode, type FineTuneOptions, fineTuneClassifier, scheduleFor } from './fine-tune.js';
export { kFoldSplits } from './k-fold.js';
export {
  type CrossValidationOptions, type CrossValidationResult, crossValidateClassifier, type FoldResult, type FoldValidation, type MeanSd, meanSd,
} from './cross-validate.js';
export { ensembleProbabilities, probabilitiesCsv } from './ensemble.js';
