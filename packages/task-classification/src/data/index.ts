export { type LabelTable, parseLabelsCsv, sortClassNames } from './labels-csv.js';
export { type ClassificationFolder, type ClassificationSplit, parseSplits, readClassificationFolder } from './classification-folder.js';
export {
  type ClassificationPreprocessing, type HeadNormalization, type PreprocessedImage, preprocessClassificationCase, readClassificationImage, zscoreChannels,
} from './preprocess-classification.js';
export { type ClassificationDataset, DEFAULT_PREPROCESSING, openClassificationDataset } from './classification-dataset.js';
