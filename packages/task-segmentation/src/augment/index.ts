export { MaskImageTransform } from './mask-image.js';
export type { TrainingAugmentation } from './training-augmentation.js';
export { INITIAL_PATCH_SCALE, ROTATION_3D, ROTATION_DUMMY_2D, nnunetTrainingAugmentation } from './training-augmentation.js';
