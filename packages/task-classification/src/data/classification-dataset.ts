import type { LabelledCase, TaskDataset } from '@openmind-ssl/core';
import { type ClassificationFolder, readClassificationFolder } from './classification-folder.js';
import { type ClassificationPreprocessing, preprocessClassificationCase, readClassificationImage } from './preprocess-classification.js';

/** The reference's preprocessing defaults: 1 mm, 160³ crop, z-score over the head. */
export const DEFAULT_PREPROCESSING: ClassificationPreprocessing = { spacing: [1, 1, 1], cropSize: [160, 160, 160], normalization: 'head' };

/** A classification dataset as the task contract reads it; cases are preprocessed on first read and kept. */
export interface ClassificationDataset extends TaskDataset {
  readonly folder: ClassificationFolder;
  readonly classes: readonly string[];
  readonly multilabel: boolean;
}

/** Opens a classification dataset folder (see {@link readClassificationFolder}) with a preprocessing. */
export async function openClassificationDataset(
  root: string, preprocessing: ClassificationPreprocessing = DEFAULT_PREPROCESSING, classes?: readonly string[],
): Promise<ClassificationDataset> {
  const folder = await readClassificationFolder(root, classes);
  const cache = new Map<string, Promise<LabelledCase>>();
  const load = async (id: string): Promise<LabelledCase> => {
    const files = folder.images.get(id);
    if (!files) throw new Error(`${root}: unknown case '${id}'`);
    const { image, mask } = await readClassificationImage(files, folder.masks.get(id));
    const p = preprocessClassificationCase(image, mask, preprocessing, files[0]!);
    return { id, image: p.data, shape: p.shape, target: folder.labels.targets.get(id)! };
  };
  return {
    folder,
    classes: folder.labels.classes,
    multilabel: folder.labels.kind === 'multilabel',
    inChannels: folder.channels,
    outputs: folder.labels.classes.length,
    caseIds: folder.caseIds,
    read(id) {
      let p = cache.get(id);
      if (!p) { p = load(id); cache.set(id, p); }
      return p;
    },
  };
}
