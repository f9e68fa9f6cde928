import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import type { CsvValue } from './csv.js';
import { parseCsv } from './csv.js';
import type { InfoDict, PretrainCollection, PretrainDataset } from './pretrain-data.js';
import { compareCodePoints } from './python-json.js';

/** A file the index left out or changed, and why. */
export interface IndexProblem {
  path: string;
  reason: string;
}

/** Options of {@link buildOpenMindCollection}. */
export interface BuildOpenMindOptions {
  /** Leave out images whose file is missing, and drop masks whose file is missing (default true). */
  checkExists?: boolean;
  /** Collection name and index; default nnssl's converter: "Dataset001_OpenMind", 1. */
  collectionName?: string;
  collectionIndex?: number | string;
}

/** Metadata columns nnssl copies into `subject_info` and `image_info` (Dataset001_OpenMind.py). */
export const SUBJECT_INFO_KEYS = ['age', 'sex', 'handedness', 'race', 'weight', 'bmi', 'health_status'] as const;
export const IMAGE_INFO_KEYS = [
  'derived_from', 'is_brain_extract', 'manufacturer', 'model_name', 'phase_encoding_direction',
  'magnetic_field_strength', 'repetition_time', 'echo_time',
] as const;
/** Mask file names in an image's `<stem>__Data/` folder. */
export const DEFACE_MASK_NAME = 'deface_mask.nii.gz';
export const ANATOMY_MASK_NAME = 'fb_mask.nii.gz';

/** The image file name without `.nii` / `.nii.gz`. */
export function niftiStem(name: string): string {
  return name.replace(/\.nii(\.gz)?$/, '');
}

function pick(record: Record<string, CsvValue>, keys: readonly string[]): InfoDict {
  const out: InfoDict = {};
  for (const k of keys) {
    const v = record[k];
    if (v !== null && v !== undefined && !(typeof v === 'number' && Number.isNaN(v))) out[k] = v;
  }
  return out;
}

/**
 * Builds the collection nnssl's OpenMind converter (`dataset_conversion/Dataset001_OpenMind.py`) builds
 * from `<root>/openneuro_metadata.csv` and the images under `<root>/OpenMind/`:
 * dataset = 1st path part, subject = 2nd, session = 3rd if it starts with "ses-" else "ses-DEFAULT";
 * masks from the `anon_mask_path` / `anat_mask_path` columns, or, where a cell or the column is missing,
 * `<image stem>__Data/deface_mask.nii.gz` and `fb_mask.nii.gz` when those files exist;
 * `dataset_info.image_quality_score` = the first score of each (unique_id[:8], modality, derived_from)
 * group, groups sorted as pandas sorts them.
 * @returns the collection (absolute paths) and the files it left out or changed
 * @throws OpenMindError when the CSV is missing or lacks the image_path / modality columns
 */
export async function buildOpenMindCollection(
  root: string,
  options: BuildOpenMindOptions = {},
): Promise<{ collection: PretrainCollection; problems: IndexProblem[] }> {
  const csvPath = join(root, 'openneuro_metadata.csv');
  let text: string;
  try {
    text = await readFile(csvPath, 'utf8');
  } catch (err) {
    throw new OpenMindError(`OpenMind root "${root}": openneuro_metadata.csv must exist, but reading "${csvPath}" failed (${(err as Error).message}).`, { cause: err });
  }
  const { columns, records } = parseCsv(text, csvPath);
  for (const col of ['image_path', 'modality']) {
    if (!columns.includes(col)) throw new OpenMindError(`"${csvPath}": column "${col}" must exist, but the columns are ${columns.join(', ')}.`);
  }
  const openmindDir = join(root, 'OpenMind');
  const checkExists = options.checkExists ?? true;
  const problems: IndexProblem[] = [];
  const collection: PretrainCollection = {
    collection_index: options.collectionIndex ?? 1,
    collection_name: options.collectionName ?? 'Dataset001_OpenMind',
    datasets: {},
  };
  records.forEach((rec, row) => {
    const rel = rec['image_path'];
    if (typeof rel !== 'string' || rel === '') {
      problems.push({ path: `${csvPath}:${row + 2}`, reason: 'image_path is empty' });
      return;
    }
    const parts = rel.split('/');
    if (parts.length < 3) {
      problems.push({ path: rel, reason: 'image_path must be <dataset>/<subject>/.../<file>' });
      return;
    }
    const imagePath = join(openmindDir, rel);
    if (checkExists && !existsSync(imagePath)) {
      problems.push({ path: imagePath, reason: 'image file listed in openneuro_metadata.csv does not exist' });
      return;
    }
    const [datasetId, subjectId] = [parts[0]!, parts[1]!];
    const sessionId = parts[2]!.startsWith('ses-') ? parts[2]! : 'ses-DEFAULT';
    const imageInfo = pick(rec, IMAGE_INFO_KEYS);
    const file = parts[parts.length - 1]!;
    const name = 'derived_from' in imageInfo ? parts[parts.length - 2]!.slice(0, -5) + file : file;
    const dataDir = posix.join(posix.dirname(rel), `${niftiStem(file)}__Data`);
    const mask = (column: string, fileName: string): string | null => {
      const cell = rec[column];
      const relMask = typeof cell === 'string' && cell !== '' ? cell : null;
      const candidate = join(openmindDir, relMask ?? posix.join(dataDir, fileName));
      if (existsSync(candidate)) return candidate;
      if (relMask !== null && checkExists) problems.push({ path: candidate, reason: `${column} file does not exist; the image is kept without it` });
      return relMask !== null && !checkExists ? candidate : null;
    };
    const anonymization = mask('anon_mask_path', DEFACE_MASK_NAME);
    const anatomy = mask('anat_mask_path', ANATOMY_MASK_NAME);
    const ds = (collection.datasets[datasetId] ??= { dataset_index: datasetId, name: null, dataset_info: {}, subjects: {} });
    const subject = (ds.subjects[subjectId] ??= { subject_id: subjectId, sessions: {}, subject_info: pick(rec, SUBJECT_INFO_KEYS) });
    const session = (subject.sessions[sessionId] ??= { session_id: sessionId, session_info: null, images: [] });
    session.images.push({
      name,
      image_path: imagePath,
      modality: String(rec['modality']),
      image_info: imageInfo,
      associated_masks: { anonymization_mask: anonymization, anatomy_mask: anatomy },
    });
  });
  addImageQualityScores(collection, records);
  return { collection, problems };
}

/** pandas `groupby([dataset_id, modality, derived_from], dropna=False).first()` into each dataset_info. */
function addImageQualityScores(collection: PretrainCollection, records: readonly Record<string, CsvValue>[]): void {
  const groups = new Map<string, { datasetId: string; modality: string; derivedFrom: string | null; iqs: number | null }>();
  for (const rec of records) {
    const uid = typeof rec['unique_id'] === 'string' ? rec['unique_id'] : String(rec['image_path'] ?? '').split('/')[0]!;
    const datasetId = uid.slice(0, 8);
    const modality = String(rec['modality']);
    const derivedFrom = rec['derived_from'] === null || rec['derived_from'] === undefined ? null : String(rec['derived_from']);
    const key = JSON.stringify([datasetId, modality, derivedFrom]);
    const g = groups.get(key) ?? { datasetId, modality, derivedFrom, iqs: null };
    // `.first()` takes the first non-null value of the group.
    const v = rec['image_quality_score'];
    if (g.iqs === null && typeof v === 'number' && !Number.isNaN(v)) g.iqs = v;
    groups.set(key, g);
  }
  // pandas sorts group keys; a missing derived_from (NaN) sorts last.
  const sorted = [...groups.values()].sort(
    (a, b) =>
      compareCodePoints(a.datasetId, b.datasetId) ||
      compareCodePoints(a.modality, b.modality) ||
      (a.derivedFrom === b.derivedFrom ? 0 : a.derivedFrom === null ? 1 : b.derivedFrom === null ? -1 : compareCodePoints(a.derivedFrom, b.derivedFrom)),
  );
  for (const [id, ds] of Object.entries(collection.datasets) as [string, PretrainDataset][]) {
    ds.dataset_info = {
      ...ds.dataset_info,
      image_quality_score: sorted
        .filter((g) => g.datasetId === id)
        .map((g) => ({ modality: g.modality, derived_from: g.derivedFrom, image_quality_score: g.iqs })),
    };
  }
}
