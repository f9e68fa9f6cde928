import { OpenMindError } from '@openmind-ssl/core';

/** The fields of an nnU-Net v2 `dataset.json` this package uses, checked and in camelCase. */
export interface SegmentationDatasetJson {
  /** Channel names in channel order (`channel_names` keys "0", "1", … sorted numerically). */
  channelNames: string[];
  /** `labels`: name → value, background 0, values consecutive, the ignore label (if any) last. */
  labels: Record<string, number>;
  /** Value of the `ignore` label, or null. */
  ignoreLabel: number | null;
  /** Network outputs: the labels without the ignore label (background included). */
  numClasses: number;
  /** e.g. '.nii.gz'. */
  fileEnding: string;
  numTraining: number;
  name: string | null;
}

/** Largest label value: preprocessing resamples labels as int8 (as the data package's mask resampling does). */
export const MAX_LABEL_VALUE = 127;

/**
 * Reads and checks an nnU-Net v2 `dataset.json`: `channel_names` ({"0": "FLAIR", …}, keys 0..C−1),
 * `labels` (name → integer; `background` 0, the values consecutive from 0 as nnU-Net requires, an optional
 * `ignore` label that must be the largest value), `file_ending` and `numTraining`. Region labels (lists of
 * values) are refused: this package trains label maps only.
 * @throws OpenMindError naming `file` and the field.
 */
export function parseDatasetJson(json: unknown, file: string): SegmentationDatasetJson {
  const bad = (field: string, expected: string, got: unknown): never => {
    throw new OpenMindError(`dataset.json "${file}": ${field} must be ${expected}, but ${got === undefined ? 'it is missing' : `got ${JSON.stringify(got)?.slice(0, 80)}`}.`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(json)) return bad('the file', 'a JSON object', json);
  // nnU-Net v2 names it channel_names; v1-converted files still say modality.
  const channels = json['channel_names'] ?? json['modality'];
  if (!isObject(channels) || Object.keys(channels).length === 0) return bad('channel_names', 'an object {"0": "<name>", …}', channels);
  const keys = Object.keys(channels).map(Number).sort((a, b) => a - b);
  keys.forEach((k, i) => {
    if (k !== i) bad('channel_names', `keyed by consecutive channel indices 0..${keys.length - 1}`, Object.keys(channels));
  });
  const channelNames = keys.map((k) => {
    const v = channels[String(k)];
    return typeof v === 'string' ? v : bad(`channel_names["${k}"]`, 'a string', v);
  });

  const labelsIn = json['labels'];
  if (!isObject(labelsIn)) return bad('labels', 'an object {"background": 0, …}', labelsIn);
  const labels: Record<string, number> = {};
  for (const [name, v] of Object.entries(labelsIn)) {
    if (Array.isArray(v)) bad(`labels["${name}"]`, 'one integer (region-based labels are not supported)', v);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_LABEL_VALUE) bad(`labels["${name}"]`, `an integer in [0, ${MAX_LABEL_VALUE}]`, v);
    labels[name] = v as number;
  }
  if (labels['background'] !== 0) bad('labels["background"]', '0', labels['background']);
  const ignoreLabel = labels['ignore'] ?? null;
  const trained = Object.entries(labels).filter(([name]) => name !== 'ignore').map(([, v]) => v).sort((a, b) => a - b);
  trained.forEach((v, i) => {
    if (v !== i) bad('labels', `consecutive integers 0..${trained.length - 1} (besides "ignore")`, labelsIn);
  });
  if (trained.length < 2) bad('labels', 'background and at least one foreground label', labelsIn);
  if (ignoreLabel !== null && ignoreLabel !== trained.length) {
    bad('labels["ignore"]', `the largest value, ${trained.length} (nnU-Net requires it)`, ignoreLabel);
  }

  const fileEnding = json['file_ending'];
  if (typeof fileEnding !== 'string' || !fileEnding.startsWith('.')) return bad('file_ending', 'a string such as ".nii.gz"', fileEnding);
  const numTraining = json['numTraining'];
  if (typeof numTraining !== 'number' || !Number.isInteger(numTraining) || numTraining < 1) return bad('numTraining', 'a positive integer', numTraining);
  const name = typeof json['name'] === 'string' ? json['name'] : null;
  return { channelNames, labels, ignoreLabel, numClasses: trained.length, fileEnding, numTraining, name };
}
