import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { ANATOMY_MASK_NAME, DEFACE_MASK_NAME, niftiStem } from './build-openmind.js';
import type { PretrainCollection } from './pretrain-data.js';
import { compareCodePoints } from './python-json.js';

/** Options of {@link buildFolderCollection}. */
export interface BuildFolderOptions {
  /** Collection name; default the folder's name. */
  collectionName?: string;
  /** Collection index; default 0. */
  collectionIndex?: number | string;
  /** Modality when the file name has no BIDS suffix; default "unknown". */
  defaultModality?: string;
}

const NIFTI_FILE = /\.nii(\.gz)?$/;

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => compareCodePoints(a.name, b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    // `<stem>__Data/` folders hold an image's masks, not images.
    if (e.isDirectory()) {
      if (!e.name.endsWith('__Data')) await walk(p, out);
    } else if (NIFTI_FILE.test(e.name)) out.push(p);
  }
}

/**
 * The modality of a file: its BIDS suffix (`sub-01_ses-1_T1w.nii.gz` → "T1w"), else the default.
 * Suffixes that carry a key-value pair (`acq-x`) or are purely numeric (nnU-Net channel `_0000`) do not count.
 */
export function modalityFromName(name: string, fallback = 'unknown'): string {
  const stem = niftiStem(name);
  const parts = stem.split('_');
  const last = parts[parts.length - 1]!;
  if (parts.length > 1 && !last.includes('-') && !/^\d+$/.test(last)) return last;
  return fallback;
}

/**
 * Builds a collection from a folder of NIfTI files (BIDS-like or flat). For each file, relative to the root:
 * the dataset is the first folder (or the root's name for files directly in it); the subject is the
 * `sub-*` folder, else the folder below the dataset, else the file stem; the session is the `ses-*`
 * folder or "ses-DEFAULT"; the modality is the BIDS suffix. Masks are picked up from
 * `<stem>__Data/deface_mask.nii.gz` and `fb_mask.nii.gz`, as in OpenMind.
 * @throws OpenMindError when the folder does not exist or holds no NIfTI file
 */
export async function buildFolderCollection(root: string, options: BuildFolderOptions = {}): Promise<PretrainCollection> {
  const abs = resolve(root);
  if (!existsSync(abs)) throw new OpenMindError(`buildFolderCollection: folder "${root}" must exist, but it does not.`);
  const files: string[] = [];
  await walk(abs, files);
  if (files.length === 0) throw new OpenMindError(`buildFolderCollection: folder "${root}" must contain .nii or .nii.gz files, but has none.`);
  const rootName = basename(abs);
  const collection: PretrainCollection = {
    collection_index: options.collectionIndex ?? 0,
    collection_name: options.collectionName ?? rootName,
    datasets: {},
  };
  for (const file of files) {
    const parts = relative(abs, file).split(sep);
    const name = parts[parts.length - 1]!;
    const dirs = parts.slice(0, -1);
    const subIdx = dirs.findIndex((d) => d.startsWith('sub-'));
    const datasetId = subIdx > 0 ? dirs.slice(0, subIdx).join('/') : subIdx === 0 ? rootName : dirs[0] ?? rootName;
    const subjectId = subIdx >= 0 ? dirs[subIdx]! : dirs.length >= 2 ? dirs[1]! : niftiStem(name);
    const sessionId = dirs.find((d) => d.startsWith('ses-')) ?? 'ses-DEFAULT';
    const dataDir = join(file, '..', `${niftiStem(name)}__Data`);
    const maskOrNull = (f: string) => (existsSync(join(dataDir, f)) ? join(dataDir, f) : null);
    const ds = (collection.datasets[datasetId] ??= { dataset_index: datasetId, name: null, dataset_info: null, subjects: {} });
    const subject = (ds.subjects[subjectId] ??= { subject_id: subjectId, sessions: {}, subject_info: null });
    const session = (subject.sessions[sessionId] ??= { session_id: sessionId, session_info: null, images: [] });
    session.images.push({
      name,
      image_path: file,
      modality: modalityFromName(name, options.defaultModality),
      image_info: null,
      associated_masks: { anonymization_mask: maskOrNull(DEFACE_MASK_NAME), anatomy_mask: maskOrNull(ANATOMY_MASK_NAME) },
    });
  }
  return collection;
}
