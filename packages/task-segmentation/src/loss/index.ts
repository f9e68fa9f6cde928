export { diceCeLoss, type DiceCeOptions } from './dice-ce-loss.js';
export { softDiceLoss, type SoftDiceOptions } from './soft-dice.js';
export { maskedCrossEntropy } from './masked-cross-entropy.js';
export { oneHot } from './one-hot.js';
export { deepSupervisionLoss, deepSupervisionScales, deepSupervisionWeights } from './deep-supervision.js';
export { downsampleLabels } from './downsample-labels.js';
