import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AdaptationPlan, type ArchitectureFactory, isLoraKey, mergedLoraStateDict, OpenMindError, readCheckpoint, restoreCheckpoint, Rng, saveCheckpoint,
} from '@openmind-ssl/core';
import type { HeadNormalization } from '../data/preprocess-classification.js';
import { buildClassifier } from '../network/build-classifier.js';
import type { ClassificationNetwork } from '../network/classification-network.js';

/** The folder of a cross-validation fold's fine-tuned classifier inside a run folder. */
export const FOLD_CHECKPOINT = 'checkpoint';

/** What a fine-tuned classifier's checkpoint carries besides the weights (checkpoint.json's `config`). */
export interface ClassifierModelConfig {
  task: 'classification';
  /** The plan the encoder was built from (the pre-trained checkpoint's, or a from-scratch architecture's). */
  plan: AdaptationPlan;
  classes: string[];
  multilabel: boolean;
  inChannels: number;
  /** The preprocessing the network was trained on; prediction repeats it. */
  spacing: [number, number, number];
  cropSize: [number, number, number];
  normalization: HeadNormalization;
  dropout: number;
  fold: number;
  [key: string]: unknown;
}

/** A classifier rebuilt from its checkpoint. */
export interface LoadedClassifier {
  network: ClassificationNetwork;
  config: ClassifierModelConfig;
  checkpoint: string;
}

/**
 * Saves a fine-tuned classifier with everything {@link loadClassifierModel} needs to rebuild it. LoRA
 * adapters are merged into their layers' weights first (core's mergedLoraStateDict, loaded strictly into
 * the same classifier built without adapters), so the checkpoint is a plain classifier of the plan.
 * @param architectures needed only for a classifier with adapters (to build the plain one)
 */
export async function saveClassifierModel(
  dir: string, network: ClassificationNetwork, config: ClassifierModelConfig, epoch: number, architectures: ArchitectureFactory | readonly ArchitectureFactory[] = [],
): Promise<void> {
  const state = { epoch, step: 0, rng: { seed: 0, step: 0 }, metrics: {}, config, adaptationPlan: config.plan };
  if (![...network.stateDict().keys()].some(isLoraKey)) {
    await saveCheckpoint(dir, network, undefined, state);
    return;
  }
  const { network: plain } = buildClassifier(config.plan, architectures, {
    classes: config.classes.length, inChannels: config.inChannels, patchSize: config.cropSize, dropout: config.dropout, rng: new Rng(0),
  });
  const ownWeights = new Set(network.stateDict().values());
  const merged = mergedLoraStateDict(network);
  try {
    plain.loadStateDict(merged);
    await saveCheckpoint(dir, plain, undefined, state);
  } finally {
    for (const t of merged.values()) if (!ownWeights.has(t)) t.dispose();
    plain.dispose();
  }
}

const exists = async (p: string) => (await stat(p).catch(() => undefined)) !== undefined;

/**
 * Whether a path is a classification model: a classifier checkpoint folder (checkpoint.json with
 * config.task 'classification') or a run folder with fold-<k>/checkpoint/ of one.
 */
export async function classifierCheckpointDirs(path: string): Promise<string[]> {
  const isClassifier = async (dir: string) => {
    if (!(await exists(join(dir, 'checkpoint.json')))) return false;
    const doc = JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8')) as { config?: { task?: unknown } };
    return doc.config?.task === 'classification';
  };
  if (await isClassifier(path)) return [path];
  const names = await readdir(path).catch(() => [] as string[]);
  const folds = names.filter((n) => /^fold-\d+$/.test(n)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const dirs: string[] = [];
  for (const f of folds) if (await isClassifier(join(path, f, FOLD_CHECKPOINT))) dirs.push(join(path, f, FOLD_CHECKPOINT));
  return dirs;
}

/**
 * Rebuilds a fine-tuned classifier from its checkpoint folder: the stored plan, the encoder-only network
 * it describes (from whichever of `architectures` builds it), the weights loaded strictly; evaluation mode.
 * @throws OpenMindError when the folder is not a classifier checkpoint or the weights do not fit.
 */
export async function loadClassifierModel(dir: string, architectures: ArchitectureFactory | readonly ArchitectureFactory[]): Promise<LoadedClassifier> {
  const ckpt = await readCheckpoint(dir);
  const config = ckpt.state.config as Partial<ClassifierModelConfig>;
  if (config.task !== 'classification' || !config.plan || !config.classes || !config.cropSize) {
    throw new OpenMindError(`${join(dir, 'checkpoint.json')}: not a classifier checkpoint (config.task must be 'classification' with plan, classes and cropSize).`);
  }
  const full = config as ClassifierModelConfig;
  const { network } = buildClassifier(full.plan, architectures, {
    classes: full.classes.length, inChannels: full.inChannels, patchSize: full.cropSize, dropout: full.dropout, rng: new Rng(0),
  });
  restoreCheckpoint(ckpt, network);
  network.eval();
  return { network, config: full, checkpoint: dir };
}
