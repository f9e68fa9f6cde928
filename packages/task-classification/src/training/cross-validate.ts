import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AdaptationPlan, addLoraAdapters, type ArchitectureFactory, type LabelledCase, Rng } from '@openmind-ssl/core';
import type { PretrainedCheckpoint } from '@openmind-ssl/interop';
import type { ClassificationConfig } from '../config.js';
import type { ClassificationDataset } from '../data/classification-dataset.js';
import type { ClassificationMetricValues } from '../metrics/classification-metrics.js';
import { buildClassifier, loadPretrainedClassifier } from '../network/build-classifier.js';
import type { ClassificationNetwork } from '../network/classification-network.js';
import { classificationTrainingAugmentation } from '../augment/classification-augmentation.js';
import { FOLD_CHECKPOINT, saveClassifierModel } from '../model/classifier-model.js';
import { type EpochRecord, evaluateClassifier, fineTuneClassifier } from './fine-tune.js';
import { probabilitiesCsv } from './ensemble.js';
import { kFoldSplits } from './k-fold.js';

/** Options of {@link crossValidateClassifier}. */
export interface CrossValidationOptions {
  dataset: ClassificationDataset;
  config: ClassificationConfig;
  /** The plan to build from: the pre-trained checkpoint's, or a fresh architecture's for a from-scratch run. */
  plan: AdaptationPlan;
  architectures: ArchitectureFactory | readonly ArchitectureFactory[];
  /** Pre-trained weights loaded into every fold's encoder; none trains from scratch. */
  pretrained?: PretrainedCheckpoint;
  seed: number;
  /**
   * Writes fold-<k>/history.json, fold-<k>/summary.json, fold-<k>/validation.csv (the validation cases'
   * probabilities), fold-<k>/checkpoint/ (the fine-tuned classifier) and summary.json here.
   */
  outDir?: string;
  /** The spacing the dataset was resampled to (stored with each fold's classifier for prediction); default 1 mm. */
  spacing?: [number, number, number];
  onEpoch?: (fold: number, record: EpochRecord) => void;
}

/** Mean and sample standard deviation over folds. */
export interface MeanSd {
  mean: number;
  sd: number;
}

/** The final network's probabilities on a fold's validation cases. */
export interface FoldValidation {
  caseIds: string[];
  /** Row-major [N, K]: softmax (sigmoid for multi-label). */
  probs: Float64Array;
  /** [N] class indices, or [N, K] 0/1 for multi-label. */
  targets: Int32Array;
}

/** One fold of a cross-validation. */
export interface FoldResult {
  fold: number;
  train: string[];
  val: string[];
  final: ClassificationMetricValues;
  history: EpochRecord[];
  validation: FoldValidation;
}

/** The result of a cross-validation. */
export interface CrossValidationResult {
  classes: readonly string[];
  multilabel: boolean;
  folds: FoldResult[];
  /** Every scalar metric of the final epochs: mean ± sd over folds. */
  summary: Record<string, MeanSd>;
  networks: ClassificationNetwork[];
}

const SCALARS = ['balancedAccuracyReference', 'balancedAccuracy', 'aurocMacro', 'averagePrecisionMacro', 'f1Macro', 'accuracy'] as const;

/** Mean and sample sd (n − 1; 0 for one fold). */
export function meanSd(xs: readonly number[]): MeanSd {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd };
}

/**
 * k-fold cross-validation as the reference's main.py: the dataset's splits.json where present, else
 * config.folds stratified seeded folds; one fresh classifier per fold (pre-trained encoder loaded where
 * given), fine-tuned and measured on its validation fold after the last epoch (the reference logs every
 * epoch; which one the paper reports is not known, finetune-spec §2.5).
 */
export async function crossValidateClassifier(o: CrossValidationOptions): Promise<CrossValidationResult> {
  const { dataset, config } = o;
  const cases = new Map<string, LabelledCase>();
  for (const id of dataset.caseIds) cases.set(id, await dataset.read(id));
  const splits = dataset.folder.splits ?? kFoldSplits(dataset.caseIds, (id) => cases.get(id)!.target[0]!, config.folds, new Rng(o.seed));
  const result: CrossValidationResult = { classes: dataset.classes, multilabel: dataset.multilabel, folds: [], summary: {}, networks: [] };
  for (const [fold, split] of splits.entries()) {
    const built = buildClassifier(o.plan, o.architectures, {
      classes: dataset.outputs, inChannels: dataset.inChannels, patchSize: config.cropSize, dropout: config.dropout, rng: new Rng([o.seed, fold, 1]),
    });
    if (o.pretrained) loadPretrainedClassifier(built, o.pretrained);
    // LoRA: adapters on the attention projections (Primus) or the 3×3×3 convolutions (ResEnc), after the pre-trained weights.
    if (config.finetune === 'lora') addLoraAdapters(built.network, { rank: config.loraRank, alpha: config.loraAlpha, dropout: config.loraDropout }, new Rng([o.seed, fold, 3]));
    const history = await fineTuneClassifier({
      network: built.network, train: split.train.map((id) => cases.get(id)!), val: split.val.map((id) => cases.get(id)!), multilabel: dataset.multilabel,
      mode: config.finetune, epochs: config.epochs, warmupEpochs: config.warmupEpochs, lr: config.lr, weightDecay: config.weightDecay,
      batchSize: config.batchSize, accumulate: config.accumulate, labelSmoothing: config.labelSmoothing, rng: new Rng([o.seed, fold, 2]),
      ...(config.augmentation === 'nnunet' ? { augmentation: classificationTrainingAugmentation(config.cropSize) } : {}),
      ...(o.onEpoch ? { onEpoch: (r: EpochRecord) => o.onEpoch!(fold, r) } : {}),
    });
    const final = history.at(-1)!.val;
    // The final network in evaluation mode, as the last epoch's metrics: its probabilities for the report's ROC curves.
    const { probs, targets } = (await evaluateClassifier(built.network, split.val.map((id) => cases.get(id)!), dataset.multilabel, config.batchSize)).collected();
    const validation: FoldValidation = { caseIds: split.val, probs, targets };
    result.folds.push({ fold, train: split.train, val: split.val, final, history, validation });
    result.networks.push(built.network);
    if (o.outDir) {
      const dir = join(o.outDir, `fold-${fold}`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'history.json'), JSON.stringify(history, null, 1));
      await writeFile(join(dir, 'summary.json'), JSON.stringify({ fold, classes: dataset.classes, train: split.train, val: split.val, final }, null, 1));
      await writeFile(join(dir, 'validation.csv'), probabilitiesCsv(split.val, dataset.classes, probs));
      await saveClassifierModel(join(dir, FOLD_CHECKPOINT), built.network, {
        task: 'classification', plan: o.plan, classes: [...dataset.classes], multilabel: dataset.multilabel, inChannels: dataset.inChannels,
        spacing: o.spacing ?? [1, 1, 1], cropSize: [...config.cropSize], normalization: config.normalization, dropout: config.dropout, fold,
      }, config.epochs, o.architectures);
    }
  }
  for (const k of SCALARS) result.summary[k] = meanSd(result.folds.map((f) => f.final[k]));
  if (o.outDir) await writeFile(join(o.outDir, 'summary.json'), JSON.stringify({ classes: dataset.classes, folds: result.folds.length, metrics: result.summary }, null, 1));
  return result;
}
