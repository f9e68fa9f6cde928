/** What the trainer reports while it runs (for progress bars and logs). */
export type TrainerEvent =
  | { type: 'start'; epoch: number; step: number; totalSteps: number; resumedFrom?: string }
  | { type: 'step'; epoch: number; iteration: number; step: number; totalSteps: number; loss: number; lr: number; stepsPerSecond: number }
  /** A phase of the recipe began (not emitted for the first phase): a fresh or the kept optimizer. */
  | { type: 'phase'; epoch: number; step: number; name: string; optimizer: 'fresh' | 'kept' }
  | { type: 'nan'; epoch: number; step: number; countThisEpoch: number }
  | { type: 'epoch'; epoch: number; trainLoss: number; valLoss?: number; lr: number; seconds: number }
  | { type: 'checkpoint'; step: number; dir: string }
  | { type: 'done'; step: number; epochs: number; seconds: number };

export type TrainerListener = (event: TrainerEvent) => void;
