import { readFile } from 'node:fs/promises';
import { OpenMindError } from '@openmind-ssl/core';
import type { PathEnv } from './env-paths.js';
import { resolveEnvPath } from './env-paths.js';
import type { AssociatedMasks, InfoDict, PretrainCollection, PretrainDataset, PretrainImage, PretrainSession, PretrainSubject } from './pretrain-data.js';
import { parsePythonJson } from './python-json.js';

/** Options of {@link readPretrainData} and {@link parsePretrainData}. */
export interface ReadPretrainDataOptions {
  /** Resolve `$VAR/...` paths against `env` (default true, as nnssl's `Collection.from_dict`). */
  resolvePaths?: boolean;
  /** Where `$VAR` values come from. Default `process.env`. */
  env?: PathEnv;
}

type Json = Record<string, unknown>;

class Checker {
  constructor(private readonly source: string) {}
  fail(at: string, expected: string, got: unknown): never {
    const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 80);
    throw new OpenMindError(`pretrain_data "${this.source}": ${at} must be ${expected}, but got ${shown}.`);
  }
  object(v: unknown, at: string): Json {
    if (!v || typeof v !== 'object' || Array.isArray(v)) this.fail(at, 'an object', v);
    return v as Json;
  }
  string(v: unknown, at: string): string {
    if (typeof v !== 'string') this.fail(at, 'a string', v);
    return v;
  }
  id(v: unknown, at: string): string | number {
    if (typeof v !== 'string' && typeof v !== 'number') this.fail(at, 'a string or a number', v);
    return v;
  }
  maybeString(v: unknown, at: string): string | null {
    if (v === undefined || v === null) return null;
    return this.string(v, at);
  }
  info(v: unknown, at: string): InfoDict | null {
    if (v === undefined || v === null) return null;
    return this.object(v, at);
  }
}

/**
 * Validates a parsed `pretrain_data.json` and resolves its `$VAR` paths.
 * @param source the file name (or a label) for error messages
 * @throws OpenMindError naming the key path of the first field that is missing or of the wrong type, or
 *   a `$VAR` whose variable is not set
 */
export function parsePretrainData(json: unknown, source: string, options: ReadPretrainDataOptions = {}): PretrainCollection {
  const c: Checker = new Checker(source);
  const env = options.env ?? process.env;
  const resolve = (p: string, at: string) => (options.resolvePaths === false ? p : resolveEnvPath(p, env, `pretrain_data "${source}": ${at}`));
  const root = c.object(json, '(root)');
  const datasetsJson = c.object(root['datasets'], 'datasets');
  const datasets: Record<string, PretrainDataset> = {};
  for (const [dsKey, dsValue] of Object.entries(datasetsJson)) {
    const dsAt = `datasets.${dsKey}`;
    const ds = c.object(dsValue, dsAt);
    const subjects: Record<string, PretrainSubject> = {};
    for (const [subKey, subValue] of Object.entries(c.object(ds['subjects'], `${dsAt}.subjects`))) {
      const subAt = `${dsAt}.subjects.${subKey}`;
      const sub = c.object(subValue, subAt);
      const sessions: Record<string, PretrainSession> = {};
      for (const [sesKey, sesValue] of Object.entries(c.object(sub['sessions'], `${subAt}.sessions`))) {
        const sesAt = `${subAt}.sessions.${sesKey}`;
        const ses = c.object(sesValue, sesAt);
        const imagesJson = ses['images'];
        if (!Array.isArray(imagesJson)) c.fail(`${sesAt}.images`, 'an array', imagesJson);
        const images = imagesJson.map((imgValue, i): PretrainImage => {
          const at = `${sesAt}.images[${i}]`;
          const img = c.object(imgValue, at);
          let masks: AssociatedMasks | null = null;
          if (img['associated_masks'] !== undefined && img['associated_masks'] !== null) {
            const m = c.object(img['associated_masks'], `${at}.associated_masks`);
            const anon = c.maybeString(m['anonymization_mask'], `${at}.associated_masks.anonymization_mask`);
            const anat = c.maybeString(m['anatomy_mask'], `${at}.associated_masks.anatomy_mask`);
            masks = {
              anonymization_mask: anon === null ? null : resolve(anon, `${at}.associated_masks.anonymization_mask`),
              anatomy_mask: anat === null ? null : resolve(anat, `${at}.associated_masks.anatomy_mask`),
            };
          }
          return {
            name: c.string(img['name'], `${at}.name`),
            image_path: resolve(c.string(img['image_path'], `${at}.image_path`), `${at}.image_path`),
            modality: c.string(img['modality'], `${at}.modality`),
            image_info: c.info(img['image_info'], `${at}.image_info`),
            associated_masks: masks,
          };
        });
        sessions[sesKey] = { session_id: sesKey, session_info: c.info(ses['session_info'], `${sesAt}.session_info`), images };
      }
      subjects[subKey] = { subject_id: subKey, sessions, subject_info: c.info(sub['subject_info'], `${subAt}.subject_info`) };
    }
    datasets[dsKey] = {
      dataset_index: c.id(ds['dataset_index'], `${dsAt}.dataset_index`),
      name: c.maybeString(ds['name'], `${dsAt}.name`),
      dataset_info: c.info(ds['dataset_info'], `${dsAt}.dataset_info`),
      subjects,
    };
  }
  return {
    collection_index: c.id(root['collection_index'], 'collection_index'),
    collection_name: c.string(root['collection_name'], 'collection_name'),
    datasets,
  };
}

/**
 * Reads nnssl's `pretrain_data.json` (Python's NaN/Infinity tokens are accepted and read as null).
 * Subject and session ids are taken from their dictionary keys, as nnssl does.
 * @throws OpenMindError for a missing file, invalid JSON, a malformed collection or an unset `$VAR`
 */
export async function readPretrainData(file: string, options: ReadPretrainDataOptions = {}): Promise<PretrainCollection> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new OpenMindError(`pretrain_data "${file}": cannot be read (${(err as Error).message}).`, { cause: err });
  }
  let json: unknown;
  try {
    json = parsePythonJson(text);
  } catch (err) {
    throw new OpenMindError(`pretrain_data "${file}": is not valid JSON (${(err as Error).message}).`, { cause: err });
  }
  return parsePretrainData(json, file, options);
}
