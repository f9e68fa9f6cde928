import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { readNifti, rowMajorView } from '@openmind-ssl/data';
import { caseMetrics, type LabelMetrics, METRIC_NAMES, type MetricName } from './case-metrics.js';

/** Options of {@link evaluateFolder}. */
export interface EvaluateFolderOptions {
  /** Labels to score; default: every non-zero value found in the references (the ignore label excluded). */
  labels?: readonly number[];
  ignoreLabel?: number | null;
  /** File ending of the cases; default `.nii.gz`, else `.nii` when the reference folder has only those. */
  fileEnding?: string;
  /** NSD tolerance in mm; 1. */
  tolerance?: number;
  /**
   * Reference file names to score (nnU-Net's `chill` validation: only the fold's cases); default every
   * reference file in the folder.
   */
  cases?: readonly string[];
  /** Called after each case, for progress. */
  onCase?: (done: number, total: number, caseFile: string) => void;
}

/** One case of `metric_per_case`. */
export interface CaseResult {
  metrics: Record<string, LabelMetrics>;
  prediction_file: string;
  reference_file: string;
}

/** nnU-Net's `summary.json`. */
export interface EvaluationSummary {
  metric_per_case: CaseResult[];
  /** Per label: nanmean of each metric over the cases. */
  mean: Record<string, Record<MetricName, number>>;
  /** Per metric: plain mean over the foreground labels of their means (NaN if one is NaN). */
  foreground_mean: Record<MetricName, number>;
}

/**
 * nnU-Net's `compute_metrics_on_folder` on NIfTI label maps: every reference file must have a prediction of
 * the same name on the same grid (shape and affine); cases are read one at a time. Aggregation as nnU-Net:
 * `mean[label][metric]` is the mean over cases ignoring NaN (cases where reference and prediction are both
 * empty), `foreground_mean[metric]` the mean of those per-label means.
 *
 * @throws OpenMindError naming every reference without a prediction, a case whose grids differ, or an
 *   empty reference folder.
 * @see finetune-spec §1.10
 */
export async function evaluateFolder(predDir: string, refDir: string, options: EvaluateFolderOptions = {}): Promise<EvaluationSummary> {
  if (!existsSync(refDir)) throw new OpenMindError(`evaluate: the reference folder "${refDir}" does not exist.`);
  if (!existsSync(predDir)) throw new OpenMindError(`evaluate: the prediction folder "${predDir}" does not exist.`);
  const all = readdirSync(refDir).sort();
  const ending = options.fileEnding ?? (all.some((f) => f.endsWith('.nii.gz')) ? '.nii.gz' : '.nii');
  const inFolder = all.filter((f) => f.endsWith(ending));
  const absent = (options.cases ?? []).filter((f) => !inFolder.includes(f));
  if (absent.length > 0) throw new OpenMindError(`evaluate: the reference folder "${refDir}" has no ${absent.join(', ')}.`);
  const refs = options.cases ? [...options.cases].sort() : inFolder;
  if (refs.length === 0) throw new OpenMindError(`evaluate: the reference folder "${refDir}" has no ${ending} files.`);
  const missing = refs.filter((f) => !existsSync(join(predDir, f)));
  if (missing.length > 0) {
    throw new OpenMindError(`evaluate: ${missing.length} of ${refs.length} reference case(s) have no prediction in "${predDir}": ${missing.join(', ')}.`);
  }
  const ignore = options.ignoreLabel ?? null;
  const perCase: { result: CaseResult; valid: number }[] = [];
  // Non-zero, non-ignored reference values over all cases: the default labels.
  const seen = new Set<number>();
  for (const [index, file] of refs.entries()) {
    const refFile = join(refDir, file);
    const predFile = join(predDir, file);
    const [ref, pred] = await Promise.all([readNifti(refFile), readNifti(predFile)]);
    checkSameGrid(ref, pred, refFile, predFile);
    const view = rowMajorView(ref);
    const shape = view.shape.slice(-3) as [number, number, number];
    const spacing = view.spacing.slice(-3) as [number, number, number];
    let valid = 0;
    const present = new Set<number>();
    for (let v = 0; v < ref.data.length; v++) {
      const r = ref.data[v]!;
      if (r === ignore) continue;
      valid++;
      if (r !== 0) {
        present.add(r);
        seen.add(r);
      }
      const p = pred.data[v]!;
      if (p !== 0) present.add(p);
    }
    const labels = options.labels ?? [...present];
    const metrics = caseMetrics(ref.data, pred.data, shape, spacing, labels, { ignoreLabel: ignore, tolerance: options.tolerance ?? 1 });
    perCase.push({ result: { metrics: Object.fromEntries([...metrics].map(([l, m]) => [String(l), m])), prediction_file: predFile, reference_file: refFile }, valid });
    options.onCase?.(index + 1, refs.length, file);
  }
  const labels = options.labels ? [...options.labels] : [...seen].sort((a, b) => a - b);
  if (labels.length === 0) throw new OpenMindError(`evaluate: no foreground label to score: the references in "${refDir}" are all background; pass --labels.`);
  return aggregate(perCase, labels);
}

function aggregate(perCase: { result: CaseResult; valid: number }[], labels: number[]): EvaluationSummary {
  const metricPerCase = perCase.map(({ result, valid }) => ({
    ...result,
    // A label absent from both maps of a case: nothing counted but the valid voxels (TN), Dice NaN.
    metrics: Object.fromEntries(labels.map((l) => [String(l), result.metrics[String(l)] ?? emptyLabel(valid)])),
  }));
  const mean: Record<string, Record<MetricName, number>> = {};
  for (const l of labels) {
    mean[String(l)] = Object.fromEntries(METRIC_NAMES.map((m) => [m, nanMean(metricPerCase.map((c) => c.metrics[String(l)]![m]))])) as Record<MetricName, number>;
  }
  const foregroundMean = Object.fromEntries(METRIC_NAMES.map((m) => [m, labels.reduce((s, l) => s + mean[String(l)]![m], 0) / labels.length])) as Record<MetricName, number>;
  return { metric_per_case: metricPerCase, mean, foreground_mean: foregroundMean };
}

function emptyLabel(valid: number): LabelMetrics {
  return { Dice: NaN, IoU: NaN, TP: 0, FP: 0, FN: 0, TN: valid, n_pred: 0, n_ref: 0, NSD: NaN };
}

function nanMean(xs: number[]): number {
  const ok = xs.filter((x) => !Number.isNaN(x));
  return ok.length === 0 ? NaN : ok.reduce((a, b) => a + b, 0) / ok.length;
}

function checkSameGrid(ref: Awaited<ReturnType<typeof readNifti>>, pred: Awaited<ReturnType<typeof readNifti>>, refFile: string, predFile: string): void {
  const refShape = ref.shape.filter((_, i) => i < 3 || ref.shape[i] !== 1);
  const predShape = pred.shape.filter((_, i) => i < 3 || pred.shape[i] !== 1);
  if (refShape.join() !== predShape.join()) {
    throw new OpenMindError(`evaluate: "${predFile}" has shape [${predShape.join(', ')}], but its reference "${refFile}" has [${refShape.join(', ')}]; both must be on the same grid.`);
  }
  const worst = Math.max(...ref.affine.flatMap((row, i) => row.map((v, j) => Math.abs(v - pred.affine[i]![j]!))));
  if (worst > 1e-3) {
    throw new OpenMindError(`evaluate: "${predFile}" has another affine than its reference "${refFile}" (largest difference ${worst.toPrecision(3)} mm); both must be on the same grid.`);
  }
}
