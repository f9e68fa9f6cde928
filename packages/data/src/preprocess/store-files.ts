import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import type { PretrainCollection } from '../dataset/pretrain-data.js';
import { writePretrainData } from '../dataset/write-pretrain-data.js';
import { STORE_MANIFEST, type StoreManifest } from '../store/store-manifest.js';
import { plansFromNnssl, pretrainPlanToNnssl, type Plans } from './plans.js';
import { casesOfCollection, type PreprocessInputCase } from './preprocess-input.js';
import { caseTarget } from './process-one-case.js';

/** The plans in `<out>/nnsslPlans.json`, or null when there are none yet. */
export function readPlans(out: string): Plans | null {
  const file = join(out, 'nnsslPlans.json');
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new OpenMindError(`plans "${file}": must be valid JSON, but reading it failed (${(err as Error).message}).\nHint: delete it to plan again from the images.`, { cause: err });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new OpenMindError(`plans "${file}": must hold a JSON object, but holds ${JSON.stringify(json)?.slice(0, 40)}.`);
  return plansFromNnssl(json as Record<string, unknown>, file);
}

/**
 * The `pretrain_plan` for a run on the configuration folder `dataDir`: the plans beside it
 * (`../nnsslPlans.json`) narrowed to the configuration its manifest names, or null when there are no plans
 * (a store made elsewhere).
 */
export function readStorePretrainPlan(dataDir: string): Record<string, unknown> | null {
  const plans = readPlans(join(dataDir, '..'));
  if (!plans) return null;
  const manifest = JSON.parse(readFileSync(join(dataDir, STORE_MANIFEST), 'utf8')) as StoreManifest;
  return pretrainPlanToNnssl(plans, manifest.configuration);
}

/**
 * Writes `pretrain_data__<config>.json` as nnssl does after preprocessing: the collection with each image
 * path pointing at its preprocessed case group and the masks at the group's `anon`/`anat` arrays. Images
 * that were not preprocessed are left out.
 */
export async function writePretrainDataForStore(
  file: string,
  collection: PretrainCollection,
  okCases: PreprocessInputCase[],
  dataDir: string,
): Promise<void> {
  const ok = new Set(okCases.map((c) => c.id));
  const flat = casesOfCollection(collection);
  let n = 0;
  const datasets: PretrainCollection['datasets'] = {};
  for (const [dk, ds] of Object.entries(collection.datasets)) {
    const subjects: (typeof ds)['subjects'] = {};
    for (const [sk, sub] of Object.entries(ds.subjects)) {
      const sessions: (typeof sub)['sessions'] = {};
      for (const [ek, ses] of Object.entries(sub.sessions)) {
        const images = [];
        for (const img of ses.images) {
          const c = flat[n++]!;
          if (!ok.has(c.id)) continue;
          const group = caseTarget(dataDir, c);
          images.push({
            ...img,
            image_path: group,
            associated_masks: {
              anonymization_mask: c.anonymizationMaskPath ? join(group, 'anon') : null,
              anatomy_mask: c.anatomyMaskPath ? join(group, 'anat') : null,
            },
          });
        }
        if (images.length) sessions[ek] = { ...ses, images };
      }
      if (Object.keys(sessions).length) subjects[sk] = { ...sub, sessions };
    }
    if (Object.keys(subjects).length) datasets[dk] = { ...ds, subjects };
  }
  await writePretrainData(file, { ...collection, datasets });
}
