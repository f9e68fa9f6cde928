export { AUTO_CHUNK_MIN_PARAM_BYTES, AUTO_UPDATE_CHUNK_BYTES, trainingStep, updateChunkBytesFor, type StepRecipe, type TrainingStepOptions } from './training-step.js';
export { Trainer, type BatchSource, type TrainerOptions } from './trainer.js';
export type { TrainerEvent, TrainerListener } from './events.js';
export type { TrainingPhase, UpdateContext } from './training-phase.js';
export { PhaseController } from './phase-controller.js';
