import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type LabelledCase, OpenMindError } from '@openmind-ssl/core';
import { preprocessClassificationCase, readClassificationImage } from '../data/preprocess-classification.js';
import type { LoadedClassifier } from '../model/classifier-model.js';
import { ensembleProbabilities, probabilitiesCsv } from '../training/ensemble.js';

/** One case to classify: its channel files in channel order and its head mask, where there is one. */
export interface ClassificationInput {
  id: string;
  files: string[];
  mask?: string;
}

const IMAGE = /^(.+)_(\d{4})\.nii(\.gz)?$/;
const isDir = async (p: string) => (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
const exists = async (p: string) => (await stat(p).catch(() => undefined)) !== undefined;

/**
 * The cases under `path`: a dataset folder (images/ and optional masks/<case>.nii.gz, as for training), a
 * folder of `<case>_<channel>.nii.gz`, or one `<case>_0000.nii.gz` (its other channels beside it).
 * @throws OpenMindError naming the folder and case when a case lacks a channel or has another count than `channels`.
 */
export async function findClassificationInputs(path: string, channels: number): Promise<ClassificationInput[]> {
  let imageDir = path;
  let only: string | undefined;
  if (!(await isDir(path))) {
    const m = IMAGE.exec(basename(path));
    if (!m) throw new OpenMindError(`${path}: expected a folder or a <case>_0000.nii.gz file.`);
    imageDir = dirname(path);
    only = m[1];
  } else if (await isDir(join(path, 'images'))) {
    imageDir = join(path, 'images');
  }
  const byCase = new Map<string, Map<number, string>>();
  for (const name of (await readdir(imageDir)).sort()) {
    const m = IMAGE.exec(name);
    if (!m || (only !== undefined && m[1] !== only)) continue;
    const files = byCase.get(m[1]!) ?? new Map<number, string>();
    files.set(Number(m[2]), join(imageDir, name));
    byCase.set(m[1]!, files);
  }
  if (byCase.size === 0) throw new OpenMindError(`${path}: no <case>_0000.nii.gz images to classify.`);
  const maskDir = join(dirname(imageDir), 'masks');
  const inputs: ClassificationInput[] = [];
  for (const [id, files] of [...byCase].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const count = Math.max(...files.keys()) + 1;
    if (count !== channels || files.size !== channels) {
      throw new OpenMindError(`${imageDir}: case '${id}' has channel file(s) ${[...files.keys()].sort().join(', ')}, but the model takes ${channels} channel(s) (${id}_0000 … ${id}_${String(channels - 1).padStart(4, '0')}).`);
    }
    const mask = join(maskDir, `${id}.nii.gz`);
    inputs.push({ id, files: Array.from({ length: channels }, (_, c) => files.get(c)!), ...(imageDir !== path && (await exists(mask)) ? { mask } : {}) });
  }
  return inputs;
}

/**
 * Class probabilities of each input under an ensemble of fine-tuned classifiers (the folds of a run):
 * every case is preprocessed as the models were trained (resample, head-centred crop, z-score), the
 * models' logits are summed and turned into probabilities (softmax; sigmoid for multi-label), as the
 * reference's inference.py. Returns the CSV text `case,<class>,…` and the probabilities [N, K].
 * @throws OpenMindError when the models differ in classes, channels or preprocessing.
 */
export async function predictClassifier(models: readonly LoadedClassifier[], inputs: readonly ClassificationInput[]): Promise<{ csv: string; probs: Float32Array }> {
  const first = models[0];
  if (!first) throw new OpenMindError('predict: no classifier to predict with.');
  const key = (m: LoadedClassifier) => JSON.stringify([m.config.classes, m.config.multilabel, m.config.inChannels, m.config.spacing, m.config.cropSize, m.config.normalization]);
  for (const m of models) {
    if (key(m) !== key(first)) throw new OpenMindError(`predict: ${m.checkpoint} has other classes, channels or preprocessing than ${first.checkpoint}; an ensemble needs the same.`);
  }
  const c = first.config;
  const cases: LabelledCase[] = [];
  for (const input of inputs) {
    const { image, mask } = await readClassificationImage(input.files, input.mask);
    const p = preprocessClassificationCase(image, mask, { spacing: c.spacing, cropSize: c.cropSize, normalization: c.normalization }, input.files[0]!);
    cases.push({ id: input.id, image: p.data, shape: p.shape, target: new Int32Array(0) });
  }
  const probs = await ensembleProbabilities(models.map((m) => m.network), cases, c.multilabel);
  return { csv: probabilitiesCsv(inputs.map((i) => i.id), c.classes, probs), probs };
}
