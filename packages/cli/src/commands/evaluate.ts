import { writeFile } from 'node:fs/promises';
import { OpenMindError } from '@openmind-ssl/core';
import { evaluateFolder, type EvaluationSummary, toNnunetJson } from '@openmind-ssl/task-segmentation';
import type { Command } from '../args.js';

/** '1,2' → [1, 2]. */
function labelList(value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  const labels = String(value).split(',').map((s) => Number(s.trim()));
  if (labels.length === 0 || labels.some((l) => !Number.isInteger(l) || l <= 0)) {
    throw new OpenMindError(`openmind evaluate: --labels must be positive integers separated by commas (e.g. 1,2), but got '${String(value)}'.`);
  }
  return labels;
}

/** The metrics the table shows per label. */
const SHOWN = ['Dice', 'IoU', 'NSD'] as const;

const fmt = (x: number, digits = 4) => (Number.isNaN(x) ? 'NaN' : x.toFixed(digits));

/** The printed table: per case Dice per label, then each label's mean and the foreground mean. */
export function summaryTable(s: EvaluationSummary): string {
  const labels = Object.keys(s.mean);
  const name = (file: string) => file.split(/[\\/]/).at(-1)!.replace(/\.nii(\.gz)?$/, '');
  const width = Math.max(16, ...s.metric_per_case.map((c) => name(c.reference_file).length)) + 2;
  const head = `${'case'.padEnd(width)}${labels.map((l) => `Dice ${l}`.padStart(10)).join('')}`;
  const rows = s.metric_per_case.map((c) => `${name(c.reference_file).padEnd(width)}${labels.map((l) => fmt(c.metrics[l]!.Dice).padStart(10)).join('')}`);
  const lines = [head, ...rows, ''];
  lines.push(`${'label'.padEnd(width)}${['Dice', 'IoU', 'NSD@1mm'].map((m) => m.padStart(10)).join('')}`);
  for (const l of labels) lines.push(`${l.padEnd(width)}${SHOWN.map((m) => fmt(s.mean[l]![m]).padStart(10)).join('')}`);
  lines.push(`${'foreground mean'.padEnd(width)}${SHOWN.map((m) => fmt(s.foreground_mean[m]).padStart(10)).join('')}`);
  return `${lines.join('\n')}\n`;
}

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: "Score predicted label maps against references with nnU-Net's metrics (summary.json).",
  usage: 'evaluate --pred <folder> --ref <folder> [--labels 1,2] [--ignore-label N] --out summary.json',
  description: [
    'Every reference file (.nii.gz or .nii) needs a prediction of the same name on the same grid (shape and',
    'affine); missing cases and other grids are named. Per case and label: TP, FP, FN, TN, Dice, IoU, n_pred,',
    'n_ref as nnU-Net computes them (voxels where the reference has the ignore label are left out; Dice and IoU',
    'are NaN when reference and prediction are both empty, 0 when only the reference is), and the normalised',
    'surface Dice at 1 mm (NSD: surface voxels within 1 mm of the other surface, exact Euclidean distances with',
    "the reference's spacing). summary.json has nnU-Net's fields: metric_per_case, mean (per label, NaN-ignoring",
    'mean over cases) and foreground_mean (mean over labels), with NaN written as Python writes it.',
  ].join('\n'),
  options: {
    pred: { type: 'string', help: 'folder of predicted label maps', value: '<folder>' },
    ref: { type: 'string', help: 'folder of reference label maps', value: '<folder>' },
    labels: { type: 'string', help: 'labels to score', value: '1,2', defaultText: 'every non-zero label in the references' },
    'ignore-label': { type: 'string', help: 'reference value to leave out of every count', value: '<N>' },
    out: { type: 'string', help: 'where to write summary.json', value: '<file>', defaultText: '<pred>/summary.json' },
  },
  examples: ['openmind evaluate --pred runs/pred --ref data/Dataset001/labelsTr --out runs/pred/summary.json'],
  async run(values) {
    const pred = values.pred as string | undefined;
    const ref = values.ref as string | undefined;
    if (!pred || !ref) throw new OpenMindError("openmind evaluate: --pred and --ref are required. See 'openmind evaluate --help'.");
    const ignoreRaw = values['ignore-label'];
    const ignore = ignoreRaw === undefined ? null : Number(ignoreRaw);
    if (ignore !== null && !Number.isInteger(ignore)) throw new OpenMindError(`openmind evaluate: --ignore-label must be an integer, but got '${String(ignoreRaw)}'.`);
    const labels = labelList(values.labels);
    const out = (values.out as string | undefined) ?? `${pred.replace(/\/$/, '')}/summary.json`;
    const summary = await evaluateFolder(pred, ref, {
      ...(labels ? { labels } : {}),
      ignoreLabel: ignore,
      onCase: (done, total, file) => process.stderr.write(`\revaluate ${done}/${total} ${file}`.padEnd(60) + (done === total ? '\n' : '')),
    });
    await writeFile(out, toNnunetJson(summary));
    process.stdout.write(summaryTable(summary));
    process.stdout.write(`summary → ${out}\n`);
    return 0;
  },
};
