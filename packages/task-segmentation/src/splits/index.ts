export type { SplitFold } from './kfold-splits.js';
export { SPLITS_FILE, SPLIT_FOLDS, SPLIT_SEED, foldCases, kFoldSplits, loadOrCreateSplits, randomSplit8020, readSplits, writeSplits } from './kfold-splits.js';
