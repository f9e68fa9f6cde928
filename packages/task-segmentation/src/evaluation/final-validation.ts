import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Engine, OpenMindError } from '@openmind-ssl/core';
import type { SegmentationPlan } from '../contract.js';
import type { RawCaseFiles } from '../dataset/open-dataset.js';
import { predictCases } from '../inference/predict-cases.js';
import type { SegmentationNetworkFn, TileProgress } from '../inference/sliding-window.js';
import { evaluateFolder, type EvaluationSummary } from './evaluate-folder.js';
import { toNnunetJson } from './summary-json.js';

/** Options of {@link finalValidation}. */
export interface FinalValidationOptions {
  /** The run folder: predictions go to `<runDir>/validation/`, with `summary.json`. */
  runDir: string;
  plan: SegmentationPlan;
  network: SegmentationNetworkFn;
  /** The fold's validation cases (raw files: channels and label). */
  cases: readonly RawCaseFiles[];
  /** Mirror test-time augmentation; true as nnU-Net's validation. */
  mirroring?: boolean;
  engine?: Engine;
  onCase?: (index: number, total: number, id: string) => void;
  onTile?: (progress: TileProgress) => void;
}

/**
 * nnU-Net's `perform_actual_validation` after the last epoch: every validation case of the fold is
 * predicted at full size from its raw files (preprocessed as in training, sliding window with mirroring,
 * back to the input's grid) into `<runDir>/validation/`, then scored against its label file with
 * nnU-Net's metrics into `<runDir>/validation/summary.json` (only the fold's cases: nnU-Net's `chill`).
 * @throws OpenMindError naming the cases whose prediction failed (after trying every case).
 */
export async function finalValidation(options: FinalValidationOptions): Promise<EvaluationSummary> {
  const outDir = join(options.runDir, 'validation');
  const results = await predictCases(options.cases.map((c) => ({ id: c.id, files: c.images })), {
    plan: options.plan,
    networks: options.network,
    outDir,
    mirroring: options.mirroring ?? true,
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.onCase ? { onCaseStart: options.onCase } : {}),
    ...(options.onTile ? { onTile: options.onTile } : {}),
  });
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) throw new OpenMindError(`final validation: ${failed.length} case(s) could not be predicted: ${failed.map((r) => `${r.id} (${r.error})`).join('; ')}.`);
  const labelDirs = new Set(options.cases.map((c) => dirname(c.label)));
  if (labelDirs.size > 1) throw new OpenMindError(`final validation: the label files must share one folder, but they are in ${[...labelDirs].join(', ')}.`);
  const summary = await evaluateFolder(outDir, [...labelDirs][0]!, {
    cases: options.cases.map((c) => c.label.slice(dirname(c.label).length + 1)),
    labels: Object.values(options.plan.labels).filter((v) => v !== 0 && v !== options.plan.ignoreLabel),
    ignoreLabel: options.plan.ignoreLabel,
    fileEnding: options.plan.fileEnding,
  });
  await writeFile(join(outDir, 'summary.json'), toNnunetJson(summary));
  return summary;
}

/** Per-case Dice of a summary, one row per case and one column per label (for a run's report). */
export function perCaseDice(summary: EvaluationSummary): { case: string; dice: Record<string, number> }[] {
  return summary.metric_per_case.map((c) => ({
    case: c.reference_file.split(/[\\/]/).at(-1)!.replace(/\.nii(\.gz)?$/, ''),
    dice: Object.fromEntries(Object.entries(c.metrics).map(([label, m]) => [label, m.Dice])),
  }));
}
