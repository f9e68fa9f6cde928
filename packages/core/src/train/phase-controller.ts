import { OpenMindError } from '../errors/openmind-error.js';
import type { Optimizer } from '../optim/optimizer.js';
import { applySchedule, checkScheduleCovers } from '../optim/schedules/apply-schedule.js';
import type { TrainingRecipe } from '../plugins/ssl-method.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TrainingPhase } from './training-phase.js';

/**
 * Runs a recipe's phases: which optimizer is current, which parameters are frozen, and the rates of the
 * current phase. The trainer calls `advanceTo(epoch)` before each step; on resume it advances to the
 * checkpoint's phase before loading the optimizer state, so the state lands in the optimizer that saved
 * it, and later boundaries are then crossed as in an uninterrupted run.
 */
export class PhaseController {
  readonly phases: readonly TrainingPhase[];
  private index = 0;
  private current: Optimizer;
  /** Parameters this controller froze, with the requiresGrad each had before. */
  private readonly frozenBefore = new Map<Tensor, boolean>();

  constructor(recipe: TrainingRecipe) {
    const first: TrainingPhase = {
      name: recipe.phaseName ?? 'main',
      startEpoch: 0,
      optimizer: () => recipe.optimizer,
      schedule: recipe.schedule,
      ...(recipe.frozen ? { frozen: recipe.frozen } : {}),
    };
    this.phases = [first, ...(recipe.phases ?? [])];
    checkPhases(this.phases);
    this.current = recipe.optimizer;
    this.enter(first);
  }

  get optimizer(): Optimizer {
    return this.current;
  }

  get phase(): TrainingPhase {
    return this.phases[this.index]!;
  }

  /** Index of the phase that contains `epoch`. */
  phaseIndexAt(epoch: number): number {
    let i = 0;
    while (i + 1 < this.phases.length && this.phases[i + 1]!.startEpoch <= epoch) i++;
    return i;
  }

  /**
   * Moves to the phase containing `epoch`, crossing every boundary on the way (each builds its fresh
   * optimizer or keeps the previous one). Returns the phases entered, in order.
   * @throws OpenMindError for an epoch before the current phase.
   */
  advanceTo(epoch: number): { phase: TrainingPhase; fresh: boolean }[] {
    const target = this.phaseIndexAt(epoch);
    if (target < this.index) {
      throw new OpenMindError(`trainer: epoch ${epoch} lies before the current phase '${this.phase.name}' (from epoch ${this.phase.startEpoch})`);
    }
    const entered: { phase: TrainingPhase; fresh: boolean }[] = [];
    while (this.index < target) {
      const next = this.phases[++this.index]!;
      const fresh = next.optimizer !== 'keep';
      if (next.optimizer !== 'keep') {
        const old = this.current;
        this.current = next.optimizer();
        if (this.current !== old) {
          old.zeroGrad();
          old.dispose();
        }
      }
      this.enter(next);
      entered.push({ phase: next, fresh });
    }
    return entered;
  }

  /** Writes the current phase's rates at t (an epoch or a step, per the recipe's scheduleUnit). */
  setLr(t: number): void {
    applySchedule(this.phase.schedule, this.current, t);
  }

  /** Gives every parameter frozen by a phase its requiresGrad back (at the end of a run). */
  release(): void {
    for (const [p, before] of this.frozenBefore) p.requireGrad(before);
    this.frozenBefore.clear();
  }

  private enter(phase: TrainingPhase): void {
    checkScheduleCovers(phase.schedule, this.current, `trainer: phase '${phase.name}'`);
    const frozen = new Set(phase.frozen ?? []);
    for (const [p, before] of this.frozenBefore) {
      if (frozen.has(p)) continue;
      p.requireGrad(before);
      this.frozenBefore.delete(p);
    }
    for (const p of frozen) {
      if (!this.frozenBefore.has(p)) this.frozenBefore.set(p, p.requiresGrad);
      p.requireGrad(false);
      p.grad?.dispose();
      p.grad = undefined;
    }
  }
}

function checkPhases(phases: readonly TrainingPhase[]): void {
  const names = new Set<string>();
  phases.forEach((p, i) => {
    if (names.has(p.name)) throw new OpenMindError(`training recipe: phase name '${p.name}' is used twice`);
    names.add(p.name);
    if (i === 0) return;
    const prev = phases[i - 1]!;
    if (!Number.isInteger(p.startEpoch) || p.startEpoch <= prev.startEpoch) {
      throw new OpenMindError(
        `training recipe: phase '${p.name}' starts at epoch ${p.startEpoch}; expected an integer after phase '${prev.name}' (epoch ${prev.startEpoch})`,
      );
    }
  });
}
