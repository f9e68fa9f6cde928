import { z } from 'zod';

const positiveInt = z.number().int().positive();
const triple = z.tuple([positiveInt, positiveInt, positiveInt]);
/** A job-name part: lower-case letters, digits and dashes (it becomes a folder name). */
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes (it names folders)');

/** The fine-tuning schedules of `openmind finetune --task segmentation` (finetune-spec §1.5). */
export const SCHEDULES = ['default', 'warm-up', 'sawtooth', 'frozen', 'valley'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];
const schedule = z.enum(SCHEDULES);

/** Where a dataset comes from: a path (`${VAR}` is taken from the environment at run time) or a synthetic one. */
const pathSource = z.strictObject({ path: z.string().min(1) });

/** Synthetic OpenMind-layout pre-training data (`openmind data synth`). */
const synthPretrain = z.strictObject({
  synth: z.strictObject({ subjects: positiveInt, sizeMm: z.number().int().min(16).default(48), seed: z.number().int().default(0) }),
});
/** A synthetic nnU-Net lesion dataset (`openmind data synth --lesion-cases`). */
const synthLesion = z.strictObject({
  synth: z.strictObject({ kind: z.literal('lesion'), cases: positiveInt, sizeMm: z.number().int().min(16).default(48), seed: z.number().int().default(0) }),
});
/** A synthetic classification dataset (`openmind data synth --task classification`). */
const synthClassification = z.strictObject({
  synth: z.strictObject({ kind: z.literal('classification'), cases: positiveInt, size: z.number().int().min(16).default(48), seed: z.number().int().default(0) }),
});

/** An already preprocessed store (e.g. written by a `preprocess --part` job array): no preprocessing job. */
const storeSource = z.strictObject({ store: z.string().min(1) });

export const pretrainDataSchema = z.union([pathSource, storeSource, synthPretrain]);
export const downstreamDataSchema = z.union([pathSource, synthLesion, synthClassification]);

/** The pre-training budget every method shares unless its entry overrides it. */
const pretrainBudget = z.strictObject({
  epochs: positiveInt,
  iterations: positiveInt,
  batchSize: positiveInt,
  patchSize: triple,
  seed: z.number().int().default(0),
  /** Validation batches per epoch (0: none). */
  valIterations: z.number().int().min(0).default(0),
  /** Data-loading threads per pre-training job. */
  workers: positiveInt.optional(),
});

/** One pre-trained row of the table: a method on an architecture, and the schedules it is fine-tuned with. */
const methodRun = z.strictObject({
  method: slug,
  arch: slug,
  /** The method's options (its zod config, e.g. {"maskRatio": 0.75}). */
  config: z.record(z.string(), z.unknown()).default({}),
  patchSize: triple.optional(),
  epochs: positiveInt.optional(),
  iterations: positiveInt.optional(),
  batchSize: positiveInt.optional(),
  /** Segmentation fine-tuning schedules of this row (the paper: sawtooth for ResEnc, warm-up for Primus). */
  schedules: z.array(schedule).min(1),
});

/** A from-scratch baseline: the architecture trained without pre-training. */
const scratchRun = z.strictObject({ arch: slug, schedule });

/** Classification fine-tuning options (`openmind finetune --task classification`). */
const classificationOptions = z.strictObject({
  warmup: z.number().int().min(0).optional(),
  lr: z.number().positive().optional(),
  weightDecay: z.number().min(0).optional(),
  labelSmoothing: z.number().min(0).lt(1).optional(),
  accumulate: positiveInt.optional(),
  crop: triple.optional(),
});

/** A downstream dataset: its task, where it is, folds and the fine-tuning budget. */
const downstream = z.strictObject({
  name: slug,
  task: z.enum(['segmentation', 'classification']),
  data: downstreamDataSchema,
  /** Segmentation: a held-out nnU-Net dataset (imagesTr/labelsTr, or imagesTs/labelsTs) that each fold's network predicts and is scored on; without it the fold's validation cases are scored. */
  test: z.union([pathSource, synthLesion]).optional(),
  /** Segmentation: the folds (of nnU-Net's 5) to train; classification: the number of cross-validation folds. */
  folds: z.union([z.array(z.number().int().min(0).max(4)).min(1), positiveInt]),
  epochs: positiveInt,
  iterations: positiveInt.optional(),
  valIterations: z.number().int().min(0).optional(),
  patchSize: triple.optional(),
  batchSize: positiveInt.optional(),
  classification: classificationOptions.optional(),
});

/** A whole benchmark: what `openmind benchmark run` expands into jobs. */
export const benchmarkSpecSchema = z.strictObject({
  name: slug,
  description: z.string().optional(),
  /** Compute backend of every job (default: `$OPENMIND_BACKEND` or the best available). */
  backend: z.string().optional(),
  pretrainData: pretrainDataSchema,
  /** Preprocessing configuration of the pre-training data. */
  preprocessConfig: z.enum(['onemmiso', 'median', 'noresample']).default('onemmiso'),
  pretrain: pretrainBudget,
  methods: z.array(methodRun).default([]),
  scratch: z.array(scratchRun).default([]),
  downstream: z.array(downstream).min(1),
  /** Fine-tuning seeds: every (row, dataset, schedule, fold) is fine-tuned once per seed. */
  seeds: z.array(z.number().int().min(0)).min(1),
  evaluation: z.strictObject({ mirroring: z.boolean().default(true), step: z.number().gt(0).max(1).default(0.5) }).default({ mirroring: true, step: 0.5 }),
  /** Optional measured throughput per architecture preset (voxels per second, forward + backward), for hour estimates. */
  throughput: z.record(z.string(), z.number().positive()).optional(),
});

export type BenchmarkSpec = z.output<typeof benchmarkSpecSchema>;
export type BenchmarkSpecInput = z.input<typeof benchmarkSpecSchema>;
export type DownstreamSpec = BenchmarkSpec['downstream'][number];
export type MethodRunSpec = BenchmarkSpec['methods'][number];
export type DataSource = z.output<typeof downstreamDataSchema> | z.output<typeof pretrainDataSchema>;
