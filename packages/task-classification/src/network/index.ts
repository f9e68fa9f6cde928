export { ClassificationNetwork, type FeaturePooling } from './classification-network.js';
export { buildClassifier, type BuildClassifierOptions, type BuiltClassifier, loadPretrainedClassifier } from './build-classifier.js';
