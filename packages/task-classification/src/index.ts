import { classificationPlugin } from './plugin.js';

export default classificationPlugin;
export { classificationPlugin, classificationTaskFactory } from './plugin.js';
export { type ClassificationConfig, classificationConfigSchema, CPU_PRESET } from './config.js';
export * from './data/index.js';
export * from './metrics/index.js';
export * from './network/index.js';
export * from './training/index.js';
export * from './synth/index.js';
export { type ClassificationRunRequest, runClassificationFinetune } from './run/run-finetune.js';
export {
  classifierCheckpointDirs, type ClassifierModelConfig, FOLD_CHECKPOINT, type LoadedClassifier, loadClassifierModel, saveClassifierModel,
} from './model/classifier-model.js';
export { type ClassificationInput, findClassificationInputs, predictClassifier } from './predict/predict-classifier.js';
export { augmentCase, CLASSIFICATION_ROTATION, classificationTrainingAugmentation } from './augment/classification-augmentation.js';
