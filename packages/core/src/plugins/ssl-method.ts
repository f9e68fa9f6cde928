import type { ZodType } from 'zod';
import type { Optimizer } from '../optim/optimizer.js';
import type { RecipeSchedule } from '../optim/schedules/apply-schedule.js';
import type { Module } from '../nn/module.js';
import type { Rng } from '../random/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TrainingPhase, UpdateContext } from '../train/training-phase.js';
import type { AdaptationPlan } from './adaptation-plan.js';
import type { ArchitectureFactory } from './architecture.js';
import type { HostTarget, HostView, ViewPipeline } from './batch-views.js';
import type { Reconstruction, ReportPanel } from './report-panels.js';
import type { WorkerModuleSpec } from './worker-module-spec.js';

/**
 * A batch as the loader delivers it: host arrays, NCDHW. A single-view pipeline (MAE) fills `image`; a
 * multi-view pipeline fills `views` in its declared order and mirrors the first view in `image`.
 */
export interface HostBatch {
  /** [N, C, D, H, W] float32 intensities. */
  image: Float32Array;
  shape: readonly [number, number, number, number, number];
  /** Optional [N, 1, D, H, W] masks: 'anatomy' (1 = inside the head), 'anonymization' (1 = defaced voxel). */
  masks?: Partial<Record<'anatomy' | 'anonymization', Uint8Array>>;
  /** Label volumes of the cases cut with `image` (e.g. segmentation maps), [N, Cl, D, H, W]. */
  labels?: Record<string, { data: Int32Array; shape: readonly number[] }>;
  /** Named views of a multi-view pipeline (`DataPipeline.views`). */
  views?: Record<string, HostView>;
  /** Named targets: per-case labels of the dataset and what a view sampler computed (boxes, overlaps). */
  targets?: Record<string, HostTarget>;
}

/**
 * How the trainer should optimise a method's network. The simple form is one optimizer and one
 * schedule for the whole run; `frozen`, `phases` and `afterUpdate` add fine-tuning stages and
 * per-step hooks (see TrainingPhase).
 */
export interface TrainingRecipe {
  /** The optimizer of the first phase — of the whole run when there are no `phases`. */
  optimizer: Optimizer;
  /** Its learning rates: one schedule for every parameter group, or one per group by name (GroupSchedule). */
  schedule: RecipeSchedule;
  /** Whether schedules are stepped once per epoch (nnssl) or once per iteration. */
  scheduleUnit: 'epoch' | 'iteration';
  /** Global gradient-norm clip (nnssl: 12 for SGD methods, 1 for AdamW ones); undefined = none. */
  gradClip?: number;
  /** Parameters that do not train in the first phase (requiresGrad off; see TrainingPhase.frozen). */
  frozen?: readonly Tensor[];
  /** Name of the first phase in events and checkpoints (default 'main'). */
  phaseName?: string;
  /** Later phases, by increasing startEpoch (the first after epoch 0). */
  phases?: readonly TrainingPhase[];
  /**
   * Runs after every optimizer update, inside the same training step (a graph backend can fold it into
   * the step), e.g. an EMA teacher with `emaUpdate`. It must not read values back.
   */
  afterUpdate?(update: UpdateContext): void;
}

/** How data workers build a method's augmentation (see {@link WorkerModuleSpec}). */
export type AugmentationModuleSpec = WorkerModuleSpec;

/** The crops a method wants from the loader and how to augment them. */
export interface DataPipeline {
  /** Crop read from the store (larger than the network patch when a spatial transform crops it down). */
  loaderPatchSize: readonly [number, number, number];
  /** Augmentation of the single view (the loaded crop); not used together with `views`. */
  augmentation?: AugmentationModuleSpec;
  /** Several named views cut from the loaded crop, each with its own augmentation, plus targets. */
  views?: ViewPipeline;
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
  /**
   * Report capability of methods that reconstruct their input: what the network saw and made of `batch`.
   * The host calls it with the network in eval mode, inside noGrad and tidy.
   */
  reconstruct?(batch: HostBatch, rng: Rng): Reconstruction;
  /**
   * Report capability: the method's own panels for `batch` (e.g. a similarity matrix), drawn before and
   * after training. Called with the network in eval mode; the method disposes the tensors it makes.
   */
  reportPanels?(batch: HostBatch, rng: Rng): Promise<ReportPanel[]>;
}

/** Everything a method needs to build itself. */
export interface SSLMethodContext<C> {
  /** The method's options, already validated with the factory's configSchema by the host. */
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

/**
 * The service an SSL plugin binds under SSLMethodId, named by its id. The host validates the user's config
 * with `configSchema` before `create` (createSslMethod), so a method never parses its config itself.
 */
export interface SSLMethodFactory<C = unknown> {
  readonly id: string;
  /**
   * The method's options (zod, filling defaults) on `architecture`: one schema for most methods; MAE has
   * different options on a CNN and on a token transformer.
   */
  configSchema(architecture: ArchitectureFactory): ZodType<C>;
  create(context: SSLMethodContext<C>): SSLMethod;
}
