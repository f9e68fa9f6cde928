import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { compareCodePoints } from '@openmind-ssl/data';
import { parseDatasetJson, type SegmentationDatasetJson } from './dataset-json.js';

/** One training case of a raw dataset: its channel files in channel order and its label file. */
export interface RawCaseFiles {
  id: string;
  /** `imagesTr/<id>_<XXXX><ending>`, channel 0 first. */
  images: string[];
  /** `labelsTr/<id><ending>`. */
  label: string;
}

/** An nnU-Net v2 raw dataset folder, listed and checked for completeness (voxels not read yet). */
export interface SegmentationDataset {
  dir: string;
  json: SegmentationDatasetJson;
  /** Cases sorted by id (code-point order, as Python sorts). */
  cases: RawCaseFiles[];
}

/** `<id>_<XXXX>`: the channel suffix of an image file name without its ending. */
const CHANNEL_SUFFIX = /^(.+)_(\d{4})$/;

async function listFiles(dir: string, what: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name);
  } catch (err) {
    throw new OpenMindError(`dataset "${dir}": the ${what} folder must exist, but it cannot be read (${(err as Error).message}).`);
  }
}

/**
 * Opens an nnU-Net v2 raw dataset folder: reads `dataset.json`, lists `labelsTr/<case><ending>` and
 * `imagesTr/<case>_<XXXX><ending>`, and checks that every case has its label file and every channel file,
 * and that the case count equals `numTraining`. Voxels are read and checked by {@link loadRawCase}.
 * @throws OpenMindError naming the case and the missing file.
 */
export async function openSegmentationDataset(dir: string): Promise<SegmentationDataset> {
  const jsonFile = join(dir, 'dataset.json');
  let text: string;
  try {
    text = await readFile(jsonFile, 'utf8');
  } catch {
    throw new OpenMindError(`dataset "${dir}": dataset.json must exist, but "${jsonFile}" cannot be read.\nHint: --data takes an nnU-Net v2 raw dataset folder (dataset.json, imagesTr/, labelsTr/).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new OpenMindError(`dataset.json "${jsonFile}": the file must be valid JSON, but parsing failed (${(err as Error).message}).`);
  }
  const json = parseDatasetJson(parsed, jsonFile);
  const ending = json.fileEnding;
  const imagesDir = join(dir, 'imagesTr');
  const labelsDir = join(dir, 'labelsTr');
  const imageFiles = new Set((await listFiles(imagesDir, 'imagesTr')).filter((f) => f.endsWith(ending)));
  const labelIds = (await listFiles(labelsDir, 'labelsTr')).filter((f) => f.endsWith(ending)).map((f) => f.slice(0, -ending.length));

  const imageIds = new Set<string>();
  for (const f of imageFiles) {
    const m = CHANNEL_SUFFIX.exec(f.slice(0, -ending.length));
    if (m) imageIds.add(m[1]!);
  }
  const labelSet = new Set(labelIds);
  const unlabelled = [...imageIds].filter((id) => !labelSet.has(id)).sort();
  if (unlabelled.length > 0) {
    const id = unlabelled[0]!;
    throw new OpenMindError(
      `dataset "${dir}": case "${id}" has images but its label file "${join(labelsDir, id + ending)}" is missing${unlabelled.length > 1 ? ` (${unlabelled.length} cases lack labels: ${unlabelled.slice(0, 5).join(', ')}${unlabelled.length > 5 ? ', …' : ''})` : ''}.`,
    );
  }
  const C = json.channelNames.length;
  const cases: RawCaseFiles[] = labelIds.sort(compareCodePoints).map((id) => {
    const images = json.channelNames.map((name, c) => {
      const f = `${id}_${String(c).padStart(4, '0')}${ending}`;
      if (!imageFiles.has(f)) {
        throw new OpenMindError(`dataset "${dir}": case "${id}" must have channel ${c} ("${name}") of ${C} as "${join(imagesDir, f)}", but the file is missing.`);
      }
      return join(imagesDir, f);
    });
    return { id, images, label: join(labelsDir, id + ending) };
  });
  if (cases.length === 0) throw new OpenMindError(`dataset "${dir}": labelsTr must hold at least one "<case>${ending}" file, but it holds none.`);
  if (cases.length !== json.numTraining) {
    throw new OpenMindError(`dataset "${dir}": dataset.json numTraining must equal the number of labelled cases, ${cases.length}, but it is ${json.numTraining}.`);
  }
  return { dir, json, cases };
}
