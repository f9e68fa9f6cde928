import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenMindError, type LabelledCase, type TaskDataset } from '@openmind-ssl/core';
import type { SegmentationCase, SegmentationPlan } from '../contract.js';
import { readCaseFiles, readCaseRecord } from './case-files.js';
import { CASES_FILE, PLAN_FILE } from './preprocess-dataset.js';

/** A preprocessed folder: its plan and cases; also core's TaskDataset (targets are the label maps). */
export interface PreprocessedSegmentation extends TaskDataset {
  dir: string;
  plan: SegmentationPlan;
  /** Case ids in dataset order (sorted). */
  caseIds: readonly string[];
  /** One case, ready for patch sampling. @throws OpenMindError for an unknown id or damaged files. */
  load(id: string): Promise<SegmentationCase>;
  /** The given cases (default all), in order. */
  loadAll(ids?: readonly string[]): Promise<SegmentationCase[]>;
}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new OpenMindError(`preprocessed folder: ${what} "${file}" must exist, but it cannot be read.\nHint: run the preprocessing to the end first (it resumes where it stopped).`);
  }
  return JSON.parse(text);
}

/**
 * Opens a folder written by `preprocessSegmentationDataset`.
 * @throws OpenMindError when the folder is incomplete.
 */
export async function openPreprocessedSegmentation(dir: string): Promise<PreprocessedSegmentation> {
  const plan = (await readJson(join(dir, PLAN_FILE), 'the plan')) as SegmentationPlan;
  const caseIds = (await readJson(join(dir, CASES_FILE), 'the case list')) as string[];
  const load = async (id: string): Promise<SegmentationCase> => {
    if (!caseIds.includes(id)) throw new OpenMindError(`preprocessed folder "${dir}": no case "${id}". Cases: ${caseIds.slice(0, 5).join(', ')}${caseIds.length > 5 ? ', …' : ''}.`);
    const record = await readCaseRecord(dir, id);
    if (!record) throw new OpenMindError(`preprocessed folder "${dir}": case "${id}" is listed but its record is missing.`);
    return readCaseFiles(dir, record);
  };
  return {
    dir,
    plan,
    caseIds,
    inChannels: plan.channelNames.length,
    outputs: plan.numClasses,
    load,
    async loadAll(ids = caseIds) {
      const out: SegmentationCase[] = [];
      for (const id of ids) out.push(await load(id));
      return out;
    },
    async read(id: string): Promise<LabelledCase> {
      const c = await load(id);
      return { id, image: c.image, shape: c.shape, target: Int32Array.from(c.label) };
    },
  };
}
