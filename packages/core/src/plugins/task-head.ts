import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';

/** A fine-tuning head: turns encoder features into task outputs and scores them. */
export interface TaskHead extends Module {
  forward(features: Tensor[]): Tensor;
  loss(output: Tensor, target: Tensor): Tensor;
}

/** The service a task-head plugin binds under TaskHeadId, named by its id. */
export interface TaskHeadFactory {
  readonly id: string;
  create(options: { featureChannels: readonly number[]; outputs: number; rng: import('../random/rng.js').Rng }): TaskHead;
}
