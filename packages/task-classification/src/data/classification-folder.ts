import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { type LabelTable, parseLabelsCsv } from './labels-csv.js';

/** One train/validation split of splits.json. */
export interface ClassificationSplit {
  train: string[];
  val: string[];
}

/** A classification dataset folder, validated: which files belong to which case, and the labels. */
export interface ClassificationFolder {
  root: string;
  labels: LabelTable;
  /** Case ids in sorted order. */
  caseIds: string[];
  /** Per case: the channel files in channel order (images/<case>_0000.nii.gz, _0001, …). */
  images: Map<string, string[]>;
  /** Per case: masks/<case>.nii.gz (head / brain mask), where present. */
  masks: Map<string, string>;
  channels: number;
  /** splits.json, where present. */
  splits?: ClassificationSplit[];
}

const IMAGE = /^(.+)_(\d{4})\.nii(\.gz)?$/;
const exists = async (p: string) => !!(await stat(p).catch(() => undefined));

/**
 * Reads and checks a classification dataset folder: `images/<case>_<channel>.nii.gz`, `labels.csv`, and
 * optionally `classes.json` (the class order), `splits.json` (`[{train: [...], val: [...]}, …]`, the
 * reference's format) and `masks/<case>.nii.gz` (a head mask to centre the crop on).
 * @param classes a fixed class order (a trained model's); overrides classes.json
 * @throws OpenMindError naming the file and the case for a labelled case without image, an image without
 *   label, a missing channel, an unknown class, or a split naming an unknown case.
 */
export async function readClassificationFolder(root: string, classes?: readonly string[]): Promise<ClassificationFolder> {
  const labelsFile = join(root, 'labels.csv');
  if (!(await exists(labelsFile))) throw new OpenMindError(`${root}: no labels.csv; a classification dataset needs labels.csv ('case,label') beside images/.`);
  const classesFile = join(root, 'classes.json');
  let order = classes;
  if (!order && (await exists(classesFile))) {
    const parsed = JSON.parse(await readFile(classesFile, 'utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.some((c) => typeof c !== 'string')) throw new OpenMindError(`${classesFile}: expected a JSON list of class names, e.g. ["control", "patient"].`);
    order = parsed as string[];
  }
  const labels = parseLabelsCsv(await readFile(labelsFile, 'utf8'), labelsFile, order);

  const imageDir = join(root, 'images');
  if (!(await exists(imageDir))) throw new OpenMindError(`${root}: no images/ folder; expected images/<case>_0000.nii.gz for every case of labels.csv.`);
  const byCase = new Map<string, Map<number, string>>();
  for (const name of (await readdir(imageDir)).sort()) {
    const m = IMAGE.exec(name);
    if (!m) continue;
    const [, id, ch] = m;
    if (!labels.targets.has(id!)) throw new OpenMindError(`${join(imageDir, name)}: case '${id}' has an image but no row in ${labelsFile}.`);
    const channels = byCase.get(id!) ?? new Map<number, string>();
    channels.set(Number(ch), join(imageDir, name));
    byCase.set(id!, channels);
  }
  const caseIds = [...labels.targets.keys()].sort();
  const images = new Map<string, string[]>();
  let channels = -1;
  for (const id of caseIds) {
    const files = byCase.get(id);
    if (!files) throw new OpenMindError(`${labelsFile}: case '${id}' has no image (expected ${join(imageDir, `${id}_0000.nii.gz`)}).`);
    const count = Math.max(...files.keys()) + 1;
    for (let c = 0; c < count; c++) {
      if (!files.has(c)) throw new OpenMindError(`${imageDir}: case '${id}' lacks channel ${c} (${id}_${String(c).padStart(4, '0')}.nii.gz).`);
    }
    if (channels >= 0 && count !== channels) throw new OpenMindError(`${imageDir}: case '${id}' has ${count} channel(s), but '${caseIds[0]}' has ${channels}; every case needs the same channels.`);
    channels = count;
    images.set(id, [...files.keys()].sort((a, b) => a - b).map((c) => files.get(c)!));
  }
  const masks = new Map<string, string>();
  for (const id of caseIds) {
    const m = join(root, 'masks', `${id}.nii.gz`);
    if (await exists(m)) masks.set(id, m);
  }
  const splitsFile = join(root, 'splits.json');
  let splits: ClassificationSplit[] | undefined;
  if (await exists(splitsFile)) splits = parseSplits(JSON.parse(await readFile(splitsFile, 'utf8')) as unknown, splitsFile, new Set(caseIds));
  return { root, labels, caseIds, images, masks, channels, ...(splits ? { splits } : {}) };
}

/** Checks splits.json: a list of {train, val} with known, non-overlapping case ids. */
export function parseSplits(value: unknown, file: string, known: ReadonlySet<string>): ClassificationSplit[] {
  if (!Array.isArray(value) || value.length === 0) throw new OpenMindError(`${file}: expected a non-empty list of {"train": [...], "val": [...]}.`);
  return value.map((s, f) => {
    const split = s as Partial<ClassificationSplit>;
    if (!Array.isArray(split.train) || !Array.isArray(split.val)) throw new OpenMindError(`${file}: fold ${f} needs "train" and "val" lists of case ids.`);
    for (const id of [...split.train, ...split.val]) {
      if (!known.has(id)) throw new OpenMindError(`${file}: fold ${f} names case '${id}', which labels.csv does not list.`);
    }
    const train = new Set(split.train);
    const both = split.val.find((id) => train.has(id));
    if (both) throw new OpenMindError(`${file}: fold ${f} has case '${both}' in both train and val.`);
    return { train: [...split.train], val: [...split.val] };
  });
}
