import type { ZodType } from 'zod';
import type { Optimizer } from '../optim/optimizer.js';
import type { LrSchedule } from '../optim/schedules/lr-schedule.js';
import type { Module } from '../nn/module.js';
import type { Rng } from '../random/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import type { AdaptationPlan } from './adaptation-plan.js';
import type { ArchitectureFactory } from './architecture.js';

/** A batch as the loader delivers it: host arrays, NCDHW. */
export interface HostBatch {
  /** [N, C, D, H, W] float32 intensities. */
  image: Float32Array;
  shape: readonly [number, number, number, number, number];
  /** Optional [N, 1, D, H, W] masks: 'anatomy' (1 = inside the head), 'anonymization' (1 = defaced voxel). */
  masks?: Partial<Record<'anatomy' | 'anonymization', Uint8Array>>;
}

/** How the trainer should optimise a method's network. */
export interface TrainingRecipe {
  optimizer: Optimizer;
  schedule: LrSchedule;
  /** Whether `schedule` is stepped once per epoch (nnssl) or once per iteration. */
  scheduleUnit: 'epoch' | 'iteration';
  /** Global gradient-norm clip (nnssl: 12 for SGD methods, 1 for AdamW ones); undefined = none. */
  gradClip?: number;
}

/**
 * How data workers build a method's augmentation: functions cannot cross a thread boundary, so a worker
 * imports `module` and calls `exportName(...args)` itself.
 */
export interface AugmentationModuleSpec {
  module: string;
  exportName?: string;
  args?: unknown[];
}

/** The crops a method wants from the loader and how to augment them. */
export interface DataPipeline {
  /** Crop read from the store (larger than the network patch when a spatial transform crops it down). */
  loaderPatchSize: readonly [number, number, number];
  augmentation?: AugmentationModuleSpec;
}

/**
 * A self-supervised pre-training method built around an architecture: it owns its network, turns a
 * batch into a scalar loss (building its views and masks from `rng`), and says how to optimise.
 */
export interface SSLMethod {
  readonly id: string;
  readonly network: Module;
  /** Loss of one batch as a scalar tensor; values are not read here. */
  loss(batch: HostBatch, rng: Rng): Tensor;
  recipe(schedule: { epochs: number; iterationsPerEpoch: number }): TrainingRecipe;
  adaptationPlan(): AdaptationPlan;
  /** The training crops and augmentation (default: crops of the network patch, no augmentation). */
  dataPipeline?(): DataPipeline;
}

/** Everything a method needs to build itself. */
export interface SSLMethodContext<C> {
  config: C;
  architecture: ArchitectureFactory;
  preset: string;
  inChannels: number;
  patchSize: readonly [number, number, number];
  rng: Rng;
  /**
   * The preprocessing plan the data came from, in nnssl's file form with only the trained configuration;
   * saved as the adaptation plan's pretrain_plan with the run's patch.
   */
  pretrainPlan?: Record<string, unknown>;
}

/** The service an SSL plugin binds under SSLMethodId, named by its id. */
export interface SSLMethodFactory<C = unknown> {
  readonly id: string;
  /** Validates and fills defaults of the method's config (zod). */
  readonly configSchema: ZodType<C>;
  /** Architecture family this method builds on by default (e.g. 'resenc'). */
  readonly defaultArchitecture: string;
  create(context: SSLMethodContext<C>): SSLMethod;
}
