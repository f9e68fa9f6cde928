// What a train-step row of a pre-training method (or of fine-tuning) gives bench/train-step.bench.ts:
// the network's step on the current backend, fed with batches shaped as the method's loader makes them,
// and the PyTorch reference script that runs the same step. A new method's row is one file here exporting
// a MethodRow, plus its line in ./method-rows.ts.
import { type HostBatch, Rng, type SSLMethod, type StepRecipe, type Tensor } from '@openmind-ssl/core';

export interface RowShape {
  preset: string;
  /** Side of the cubic network patch (the crop size for multi-view methods). */
  size: number;
  /** Images per step as the method's loader counts them. */
  batch: number;
}

export interface StepSetup {
  /** Only `loss` is used: core's trainingStep runs loss, backward, clip and the optimizer. */
  method: Pick<SSLMethod, 'loss'>;
  recipe: StepRecipe;
  params: Tensor[];
  parameterCount: number;
  /** The host batch of step `s` (made before the step's clock starts, as the loader would). */
  batch(s: number): HostBatch;
}

export interface MethodRow extends RowShape {
  /** Label prefix and TRAIN_STEP_CASES filter word, e.g. 'simclr'. */
  name: string;
  /** The PyTorch reference in bench/, called as train_step_ref.py is. */
  reference: string;
  /** What the row's step holds, for the result file. */
  describe: string;
  setup(shape: RowShape): Promise<StepSetup>;
}

/** Seeded normal intensities for a host array of this many values. */
export function normalValues(n: number, seed: number): Float32Array {
  return new Rng(seed).fillNormal(new Float32Array(n));
}

export const voxels = (size: number) => size * size * size;
