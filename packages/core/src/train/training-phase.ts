import type { Optimizer } from '../optim/optimizer.js';
import type { RecipeSchedule } from '../optim/schedules/apply-schedule.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * A later stage of a training recipe, from `startEpoch` until the next phase starts: its own optimizer
 * (fresh or carried over), learning rates and frozen parameters. Fine-tuning schedules are built from
 * these: Sawtooth trains the decoder, then starts a fresh optimizer over the whole network; Frozen keeps
 * the encoder frozen throughout and restarts the optimizer after the warm-up (finetune-spec §1.5).
 */
export interface TrainingPhase {
  /** Name in events and checkpoints; unique within the recipe. */
  name: string;
  /** Epoch the phase starts at (0-based); phases are listed in increasing order. */
  startEpoch: number;
  /**
   * 'keep': go on with the previous phase's optimizer, its state included (nnU-Net's warm-up → train
   * hand-over). A function: build a fresh optimizer when the phase starts, or when a run resumes inside
   * the phase (its state then comes from the checkpoint); the previous optimizer's state is released.
   */
  optimizer: 'keep' | (() => Optimizer);
  /**
   * Rates as a function of the global epoch or step (the recipe's scheduleUnit), not of the phase's own
   * count, so nnU-Net's offset schedules (Lin_incr_offset, Poly_offset) are written as they are.
   */
  schedule: RecipeSchedule;
  /**
   * Parameters that do not train in this phase: their requiresGrad is off, so backward neither computes
   * nor stores their gradients (a frozen conv's filter gradient is never computed). Parameters frozen by
   * the previous phase and not named here get their requiresGrad back.
   */
  frozen?: readonly Tensor[];
}

/** What a recipe's `afterUpdate` hook is told about the update that just ran. */
export interface UpdateContext {
  /** Global index of this step (0-based; the first step of a run is 0, of a resumed run its saved step). */
  step: number;
  epoch: number;
  /**
   * uint8 scalar, 1 when the update was kept and 0 when it was dropped for a non-finite loss. It is not
   * read back: a hook that writes state gates its writes with it (as `emaUpdate` does), so a dropped step
   * leaves that state unchanged too.
   */
  applyIf: Tensor;
  /** The optimizer of the current phase. */
  optimizer: Optimizer;
}
