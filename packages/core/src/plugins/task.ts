import type { ZodType } from 'zod';
import type { Module } from '../nn/module.js';
import type { Rng } from '../random/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import type { AdaptationPlan } from './adaptation-plan.js';
import type { ArchitectureFactory } from './architecture.js';

// The fine-tuning task contract. It holds only what every downstream task needs and what can be stated
// before the tasks exist: read labelled data, build a network from a pre-trained checkpoint's adaptation
// plan, score it (loss) and measure it (metrics). The segmentation and classification packages fill it
// in, and grow it where they must (schedules, sliding-window inference).

/** One labelled case of a fine-tuning dataset, as host arrays, preprocessed like the pre-training data. */
export interface LabelledCase {
  readonly id: string;
  /** [C, D, H, W] float32 intensities. */
  image: Float32Array;
  shape: readonly [number, number, number, number];
  /** Segmentation: the [D, H, W] label map; classification: one class index. */
  target: Int32Array;
}

/** A task's labelled data: the channels and classes the downstream network must have, and the cases. */
export interface TaskDataset {
  /** Image channels of every case (may differ from the pre-training's; the stem weights are then adapted). */
  readonly inChannels: number;
  /** Network outputs: segmentation classes including background, or classification classes. */
  readonly outputs: number;
  readonly caseIds: readonly string[];
  read(caseId: string): Promise<LabelledCase>;
}

/** Accumulates a task's metrics over an evaluation (classification metrics are computed epoch-wise). */
export interface TaskMetrics {
  /** Adds a batch: network output and target. */
  update(output: Tensor, target: Tensor): Promise<void>;
  /** The metrics so far, by name (nnU-Net's field names for segmentation). */
  compute(): Record<string, number>;
}

/** The network a task fine-tunes: the pre-trained architecture with the task's head. */
export interface DownstreamNetwork extends Module {
  forward(x: Tensor): Tensor;
}

/** Everything a task needs to build itself. */
export interface TaskContext<C> {
  /** The task's options, already validated with its configSchema by the host. */
  config: C;
  /**
   * The adaptation plan saved with the pre-trained checkpoint: which architecture, and the state-dict
   * keys of the encoder, stem, input projections and position embedding whose weights transfer.
   */
  plan: AdaptationPlan;
  /** The family that builds the plan's architecture, and its preset (the host finds both). */
  architecture: ArchitectureFactory;
  preset: string;
  dataset: TaskDataset;
  patchSize: readonly [number, number, number];
  rng: Rng;
}

/** A fine-tuning task built for one dataset and one pre-trained plan. */
export interface Task {
  readonly id: string;
  /** Keeps the plan's encoder and stem keys, so the pre-trained weights load into it strictly. */
  readonly network: DownstreamNetwork;
  /** Scalar loss of a batch's network output against its target. */
  loss(output: Tensor, target: Tensor): Tensor;
  /** A fresh metrics accumulator. */
  metrics(): TaskMetrics;
}

/** The service a task plugin binds under TaskId, named by its id ('segmentation', 'classification'). */
export interface TaskFactory<C = unknown> {
  readonly id: string;
  /** The task's options (zod); the host validates the user's config with it before `create`. */
  readonly configSchema: ZodType<C>;
  /** Reads the task's labelled dataset at `location` (a folder or file in the task's own format). */
  openDataset(location: string): Promise<TaskDataset>;
  create(context: TaskContext<C>): Task;
}
