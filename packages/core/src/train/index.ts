export { trainingStep, type TrainingStepOptions } from './training-step.js';
export { Trainer, type BatchSource, type TrainerOptions } from './trainer.js';
export type { TrainerEvent, TrainerListener } from './events.js';
