import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { STORE_MANIFEST, type StoreManifest } from '../store/store-manifest.js';
import type { StoreCase } from './build-batch.js';
import { normalizeCaseTargets } from './case-targets.js';

/** A configuration folder of preprocessed cases, as the loader sees it. */
export interface PreprocessedStore {
  dir: string;
  manifest: StoreManifest;
  /** Cases, absolute group folders, in manifest order. */
  cases: (StoreCase & { subjectId: string })[];
}

/**
 * Opens a preprocessed configuration folder (e.g. `<out>/nnsslPlans_onemmiso`) through its manifest.
 * @throws OpenMindError when the manifest is missing (preprocessing has not finished) or lists no case.
 */
export function openPreprocessedStore(dir: string): PreprocessedStore {
  const file = join(dir, STORE_MANIFEST);
  if (!existsSync(file)) {
    throw new OpenMindError(`loader: "${dir}" must contain ${STORE_MANIFEST}, but it does not.\nHint: pass the configuration folder (e.g. <out>/nnsslPlans_onemmiso) of a finished 'openmind preprocess' run.`);
  }
  let manifest: StoreManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as StoreManifest;
  } catch (err) {
    throw new OpenMindError(`loader: "${file}" must be valid JSON, but reading it failed (${(err as Error).message}).\nHint: run 'openmind preprocess' again on the same --out; it rewrites the manifest.`, { cause: err });
  }
  const valid = (c: unknown) => typeof c === 'object' && c !== null && ['id', 'subjectId', 'path'].every((k) => typeof (c as Record<string, unknown>)[k] === 'string');
  if (!Array.isArray(manifest?.cases) || !manifest.cases.every(valid)) {
    throw new OpenMindError(`loader: "${file}" must list its cases as {"id", "subjectId", "path"} strings, but it does not.\nHint: run 'openmind preprocess' again on the same --out; it rewrites the manifest.`);
  }
  const cases = manifest.cases.map((c) => ({
    id: c.id, subjectId: c.subjectId, dir: join(dir, c.path),
    ...(c.targets ? { targets: normalizeCaseTargets(`case "${c.id}" in ${file}`, c.targets) } : {}),
  }));
  return { dir, manifest, cases };
}
