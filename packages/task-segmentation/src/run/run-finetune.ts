import { join } from 'node:path';
import {
  adaptationPlanOf, type AdaptationPlan, type ArchitectureFactory, buildsTokenNetworks, LORA_DEFAULTS, type LoraOptions, OpenMindError, Rng,
} from '@openmind-ssl/core';
import type { PreprocessProgress } from '@openmind-ssl/data';
import { loadPretrainedEncoder, readPretrainedCheckpoint } from '@openmind-ssl/interop';
import type { SegmentationBatch, SegmentationPlan, SpacingMode, Vec3 } from '../contract.js';
import { openSegmentationDataset } from '../dataset/open-dataset.js';
import type { EvaluationSummary } from '../evaluation/evaluate-folder.js';
import { buildSegmentationNetwork } from '../network/build-network.js';
import { addEncoderLoraAdapters } from '../network/encoder-lora.js';
import { planSegmentationAsync } from '../plan/plan-segmentation.js';
import { openPreprocessedSegmentation } from '../preprocess/open-preprocessed.js';
import { preprocessSegmentationDataset } from '../preprocess/preprocess-dataset.js';
import { segmentationBatches } from '../sampling/batch-generator.js';
import { fineTuneRecipe } from '../schedules/fine-tune-schedules.js';
import { splitParameters } from '../schedules/parameter-split.js';
import { foldCases, loadOrCreateSplits } from '../splits/kfold-splits.js';
import { type EpochRecord, type FineTuneEvent, FineTuneTrainer, type SegmentationBatchSource } from '../train/fine-tune-trainer.js';

/** What `openmind finetune` (segmentation) runs: one fold of one schedule on one nnU-Net dataset. */
export interface SegmentationFinetuneOptions {
  /** nnU-Net v2 raw dataset folder. */
  data: string;
  /** Run folder: preprocessed/, splits_final.json, plan.json, checkpoints, training_log.jsonl, validation/. */
  out: string;
  /** Pre-trained checkpoint (our run folder or checkpoint, .safetensors, nnssl .pth); without it, a from-scratch run. */
  pretrained?: string;
  /** The architecture of a from-scratch run. */
  scratch?: { preset: string; factory: ArchitectureFactory };
  /** Every loaded architecture factory: the one that builds the checkpoint's arch_class_name is used. */
  architectures: readonly ArchitectureFactory[];
  schedule: string;
  /** Schedule 'lora': the adapters' rank, α and dropout (default core's LORA_DEFAULTS: 8, 32, 0.1). */
  lora?: LoraOptions;
  fold: number | 'all';
  epochs: number;
  iterationsPerEpoch: number;
  valIterations: number;
  spacingMode?: SpacingMode;
  fixedSpacing?: Vec3;
  /** Network patch; default the checkpoint's recommended downstream patch (160³). */
  patchSize?: Vec3;
  batchSize?: number;
  seed: number;
  resume: boolean;
  checkpointEvery?: number;
  /** Sawtooth on ResEnc as the fork runs it (its decoder phases train the encoder too). */
  forkSawtooth?: boolean;
  /** Predict the fold's validation cases at full size after the last epoch (nnU-Net's final validation). Default true. */
  finalValidation?: boolean;
  log?: (line: string) => void;
  onPreprocess?: (p: PreprocessProgress) => void;
  onEvent?: (e: FineTuneEvent) => void;
}

export interface SegmentationFinetuneResult {
  plan: SegmentationPlan;
  log: EpochRecord[];
  validation?: EvaluationSummary;
}

/** The adaptation plan of a fresh network of `preset`: what a from-scratch run is planned from. */
export function scratchAdaptationPlan(factory: ArchitectureFactory, preset: string, patch: Vec3, inChannels: number): AdaptationPlan {
  const arch = factory.create(preset, { inChannels, outChannels: 1, patchSize: patch, rng: new Rng(0) });
  return adaptationPlanOf(arch, { inChannels, patchSize: patch });
}

/** Batches from a generator whose batch i depends only on (seed, i): a resumed run sees the same data. */
function batchSource(batch: (i: number) => SegmentationBatch): SegmentationBatchSource {
  return {
    batches(from) {
      let i = from;
      return { next: async () => ({ done: false, value: batch(i++) }) };
    },
  };
}

/**
 * Fine-tunes a pre-trained checkpoint (or a fresh network) for segmentation as nnU-Net does: plan from the
 * checkpoint's adaptation plan and the dataset, preprocessing into the run folder (resumable), nnU-Net's
 * 5-fold split, the network with the checkpoint's encoder and stem loaded strictly, the schedule's recipe,
 * the fine-tuning loop, and the final validation of the fold's cases at full size.
 */
export async function runSegmentationFinetune(o: SegmentationFinetuneOptions): Promise<SegmentationFinetuneResult> {
  const log = o.log ?? (() => undefined);
  const dataset = await openSegmentationDataset(o.data);
  const pretrained = o.pretrained !== undefined ? await readPretrainedCheckpoint(o.pretrained) : undefined;
  if (!pretrained && !o.scratch) throw new OpenMindError('finetune: give --pretrained <checkpoint>, or --from-scratch with --arch <preset>.');
  const channels = dataset.json.channelNames.length;
  const adaptationPlan = pretrained?.plan
    ?? scratchAdaptationPlan(o.scratch!.factory, o.scratch!.preset, o.patchSize ?? [160, 160, 160], channels);
  log(`finetune: planning ${dataset.cases.length} cases of ${o.data}`);
  const { plan } = await planSegmentationAsync(adaptationPlan, dataset, {
    ...(o.spacingMode ? { spacingMode: o.spacingMode } : {}),
    ...(o.fixedSpacing ? { fixedSpacing: o.fixedSpacing } : {}),
    ...(o.patchSize ? { patchSize: o.patchSize } : {}),
    ...(o.batchSize ? { batchSize: o.batchSize } : {}),
  });
  const preprocessedDir = join(o.out, 'preprocessed');
  await preprocessSegmentationDataset(dataset, plan, preprocessedDir, o.onPreprocess ? { onProgress: o.onPreprocess } : {});
  const pre = await openPreprocessedSegmentation(preprocessedDir);
  const splits = await loadOrCreateSplits(join(o.out, 'splits_final.json'), pre.caseIds);
  const fold = foldCases(splits, pre.caseIds, o.fold);
  if (fold.train.length === 0 || fold.val.length === 0) {
    throw new OpenMindError(`--fold ${o.fold}: the split leaves ${fold.train.length} training and ${fold.val.length} validation cases; a dataset needs at least 2 cases (5 for nnU-Net's 5 folds).`);
  }

  const { network, factory, deepSupervision } = buildSegmentationNetwork(plan, o.architectures, { rng: new Rng(o.seed), deepSupervision: !pretrained });
  let inChannelMismatch = false;
  if (pretrained) {
    const loaded = loadPretrainedEncoder(network, pretrained, factory);
    inChannelMismatch = loaded.inChannelMismatch;
    log(`finetune: encoder and stem loaded from ${pretrained.source}${loaded.inChannelMismatch ? ` (input projection repeated over ${channels} channels, divided by ${channels})` : ''}${loaded.positionEmbeddingResized ? ' (position embedding resized)' : ''}`);
  }
  // The 'lora' schedule trains low-rank adapters on the frozen encoder (added after the pre-trained weights).
  const lora = o.schedule === 'lora' ? (o.lora ?? LORA_DEFAULTS) : undefined;
  if (lora) log(`finetune: LoRA r ${lora.rank}, α ${lora.alpha}, dropout ${lora.dropout} on ${addEncoderLoraAdapters(network, lora, new Rng([o.seed, 3])).length} encoder layers`);
  const recipe = fineTuneRecipe(o.schedule, {
    epochs: o.epochs, params: splitParameters(network), optimizer: buildsTokenNetworks(factory) ? 'adamw' : 'sgd',
    pretrained: pretrained !== undefined, inChannelMismatch, ...(o.forkSawtooth ? { forkSawtooth: true } : {}),
  });
  const trainCases = await pre.loadAll(fold.train);
  const valCases = await pre.loadAll(fold.val);
  const train = segmentationBatches(trainCases, plan, { seed: o.seed, mode: 'train' });
  const val = segmentationBatches(valCases, plan, { seed: o.seed + 1, mode: 'val' });
  log(`finetune: fold ${o.fold}: ${fold.train.length} training, ${fold.val.length} validation cases; schedule ${o.schedule}, ${o.epochs} epochs × ${o.iterationsPerEpoch} steps, patch ${plan.patchSize.join('×')}, batch ${plan.batchSize}${deepSupervision ? ', deep supervision' : ''}`);
  const valIds = new Set(fold.val);
  const trainer = new FineTuneTrainer({
    plan, network, deepSupervision, recipe,
    train: batchSource((i) => train.batch(i)),
    val: batchSource((i) => val.batch(i)),
    epochs: o.epochs, iterationsPerEpoch: o.iterationsPerEpoch, valIterations: o.valIterations,
    runDir: o.out, seed: o.seed,
    ...(o.checkpointEvery ? { checkpointEvery: o.checkpointEvery } : {}),
    config: {
      data: o.data, schedule: o.schedule, fold: o.fold, epochs: o.epochs, iterationsPerEpoch: o.iterationsPerEpoch, seed: o.seed,
      pretrained: o.pretrained ?? null, arch: o.scratch?.preset ?? adaptationPlan.architecture_plans.arch_class_name,
      ...(lora ? { lora } : {}),
    },
    ...(o.onEvent ? { onEvent: o.onEvent } : {}),
    ...(o.finalValidation === false ? {} : { finalValidation: { cases: dataset.cases.filter((c) => valIds.has(c.id)) } }),
  });
  const result = await trainer.run({ resume: o.resume });
  return { plan, log: result.log, ...(result.validation ? { validation: result.validation } : {}) };
}
