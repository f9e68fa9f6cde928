export { generateClassificationDataset, SYNTH_CLASSES, type SynthClassificationOptions } from './synth-classification.js';
