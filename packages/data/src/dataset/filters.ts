import { OpenMindError } from '@openmind-ssl/core';
import type { IndependentImage, PretrainCollection } from './pretrain-data.js';

/** Decides whether an image takes part in training (true = keep), as nnssl's `AbstractFilter`. */
export type ImageFilter = (image: IndependentImage) => boolean;

function iqsKey(datasetIndex: string | number, modality: string, derivedFrom: unknown): string {
  return JSON.stringify([String(datasetIndex), modality, derivedFrom ?? null]);
}

/**
 * Keeps images whose image quality score is at most `threshold` (nnssl `OpenMindIQSFilter`; OpenMind IQS
 * runs 1 = best to 5 = worst). Scores are looked up per (dataset, modality, derived_from) in each
 * dataset's `dataset_info.image_quality_score` list. A score of null (NaN in the CSV) never passes.
 * Unlike nnssl, the collection is not modified.
 * @throws OpenMindError (when called) for an image whose group has no score; nnssl raises KeyError there
 */
export function iqsFilter(collection: PretrainCollection, threshold: number): ImageFilter {
  if (!Number.isFinite(threshold)) throw new RangeError(`iqsFilter: threshold must be a finite number, but got ${threshold}.`);
  const scores = new Map<string, number | null>();
  for (const ds of Object.values(collection.datasets)) {
    const list = ds.dataset_info?.['image_quality_score'];
    if (!Array.isArray(list)) continue;
    for (const entry of list as Record<string, unknown>[]) {
      const value = entry['image_quality_score'];
      scores.set(iqsKey(ds.dataset_index, String(entry['modality']), entry['derived_from']), typeof value === 'number' ? value : null);
    }
  }
  return (img) => {
    const key = iqsKey(img.dataset_index, img.image_modality, img.image_info?.['derived_from']);
    if (!scores.has(key)) {
      throw new OpenMindError(
        `iqsFilter: no image_quality_score for dataset "${img.dataset_index}", modality "${img.image_modality}", derived_from ${JSON.stringify(img.image_info?.['derived_from'] ?? null)} (image "${img.image_path}").\nHint: IQS comes from openneuro_metadata.csv; a collection built from a plain folder has none, so filter it by modality only.`,
      );
    }
    const score = scores.get(key)!;
    return score !== null && score <= threshold;
  };
}

/** Keeps images whose modality is one of `modalities` (nnssl `ModalityFilter`). */
export function modalityFilter(modalities: Iterable<string>): ImageFilter {
  const valid = new Set(modalities);
  return (img) => valid.has(img.image_modality);
}

/**
 * A copy of the collection without the images some filter rejects; sessions, subjects and datasets left
 * empty are dropped. (nnssl applies filters when it builds the training dataset; this writes the result
 * as a collection of its own.)
 */
export function filterCollection(collection: PretrainCollection, filters: readonly ImageFilter[]): PretrainCollection {
  const out: PretrainCollection = { ...collection, datasets: {} };
  for (const [dk, ds] of Object.entries(collection.datasets)) {
    const subjects: typeof ds.subjects = {};
    for (const [sk, sub] of Object.entries(ds.subjects)) {
      const sessions: typeof sub.sessions = {};
      for (const [ek, ses] of Object.entries(sub.sessions)) {
        const images = ses.images.filter((img) => {
          const flat = {
            collection_index: collection.collection_index,
            collection_name: collection.collection_name,
            dataset_index: ds.dataset_index,
            dataset_name: ds.name,
            session_id: ek,
            subject_id: sk,
            image_name: img.name,
            image_path: img.image_path,
            image_modality: img.modality,
            associated_masks: { anonymization_mask: img.associated_masks?.anonymization_mask ?? null, anatomy_mask: img.associated_masks?.anatomy_mask ?? null },
            dataset_info: ds.dataset_info,
            subject_info: sub.subject_info,
            session_info: ses.session_info,
            image_info: img.image_info,
          };
          return filters.every((f) => f(flat));
        });
        if (images.length) sessions[ek] = { ...ses, images };
      }
      if (Object.keys(sessions).length) subjects[sk] = { ...sub, sessions };
    }
    if (Object.keys(subjects).length) out.datasets[dk] = { ...ds, subjects };
  }
  return out;
}
