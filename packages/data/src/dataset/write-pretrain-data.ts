import { writeFileAtomic } from '@openmind-ssl/core';
import type { PathEnv } from './env-paths.js';
import { NNSSL_PATH_VARS, relativizeEnvPath } from './env-paths.js';
import type { PretrainCollection } from './pretrain-data.js';
import { stringifyPythonJson } from './python-json.js';

/** Options of {@link writePretrainData}. */
export interface WritePretrainDataOptions {
  /** Rewrite paths under these environment variables as `$VAR/...` (nnssl `to_dict(relative_paths=True)`). Default nnssl_raw, nnssl_preprocessed. */
  relativeTo?: readonly string[];
  /** Where the variables' values come from. Default `process.env`. */
  env?: PathEnv;
}

/**
 * The collection as the plain object nnssl's `Collection.to_dict` produces: every key present, absent
 * values null, paths optionally made `$VAR`-relative.
 */
export function pretrainDataToJson(collection: PretrainCollection, options: WritePretrainDataOptions = {}): unknown {
  const env = options.env ?? process.env;
  const vars = options.relativeTo ?? NNSSL_PATH_VARS;
  const rel = (p: string | null) => (p === null ? null : relativizeEnvPath(p, env, vars));
  const datasets: Record<string, unknown> = {};
  for (const [dk, ds] of Object.entries(collection.datasets)) {
    const subjects: Record<string, unknown> = {};
    for (const [sk, sub] of Object.entries(ds.subjects)) {
      const sessions: Record<string, unknown> = {};
      for (const [ek, ses] of Object.entries(sub.sessions)) {
        sessions[ek] = {
          session_id: ses.session_id,
          session_info: ses.session_info,
          images: ses.images.map((img) => ({
            name: img.name,
            image_path: rel(img.image_path),
            modality: img.modality,
            image_info: img.image_info,
            associated_masks: img.associated_masks
              ? { anonymization_mask: rel(img.associated_masks.anonymization_mask), anatomy_mask: rel(img.associated_masks.anatomy_mask) }
              : null,
          })),
        };
      }
      subjects[sk] = { subject_id: sub.subject_id, sessions, subject_info: sub.subject_info };
    }
    datasets[dk] = { dataset_index: ds.dataset_index, name: ds.name, dataset_info: ds.dataset_info, subjects };
  }
  return { collection_index: collection.collection_index, collection_name: collection.collection_name, datasets };
}

/**
 * Writes `pretrain_data.json` as nnssl's converter does (`indent=4, sort_keys=True`), atomically: the
 * file appears complete or not at all.
 */
export async function writePretrainData(file: string, collection: PretrainCollection, options: WritePretrainDataOptions = {}): Promise<void> {
  await writeFileAtomic(file, stringifyPythonJson(pretrainDataToJson(collection, options)));
}
