import { normalizedSurfaceDice } from './surface-dice.js';

/** nnU-Net's per-label metrics of one case, plus the OpenMind fork's normalised surface Dice (NSD). */
export interface LabelMetrics {
  Dice: number;
  IoU: number;
  TP: number;
  FP: number;
  FN: number;
  TN: number;
  n_pred: number;
  n_ref: number;
  /** Normalised surface Dice at the tolerance (1 mm by default); NaN when TP + FP + FN = 0. */
  NSD: number;
}

/** The metric names, in nnU-Net's (sorted) order, then NSD. */
export const METRIC_NAMES = ['Dice', 'FN', 'FP', 'IoU', 'TN', 'TP', 'n_pred', 'n_ref', 'NSD'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Options of {@link caseMetrics}. */
export interface CaseMetricsOptions {
  /** Voxels where the reference has this value are left out of every count (nnU-Net's ignore label). */
  ignoreLabel?: number | null;
  /** NSD tolerance in mm; 1. */
  tolerance?: number;
  /** Skip NSD (it needs distance transforms): NaN is reported. */
  surfaceDice?: boolean;
}

/**
 * nnU-Net's `compute_metrics` for one case (finetune-spec §1.10): per label, the masks ref == label and
 * pred == label are compared outside the ignore mask (ref == ignore label); Dice = 2TP/(2TP+FP+FN) and
 * IoU = TP/(TP+FP+FN), both NaN when TP+FP+FN = 0 (so 0 when only the reference is empty);
 * n_pred = TP+FP, n_ref = TP+FN. NSD is computed on the masks with the ignored voxels removed.
 *
 * @param ref, pred label maps on the same `[D, H, W]` grid (any integer typed array).
 * @param spacing mm per voxel of each axis of that grid (the reference's).
 */
export function caseMetrics(
  ref: ArrayLike<number>,
  pred: ArrayLike<number>,
  shape: readonly [number, number, number],
  spacing: readonly [number, number, number],
  labels: readonly number[],
  options: CaseMetricsOptions = {},
): Map<number, LabelMetrics> {
  const ignore = options.ignoreLabel ?? null;
  const n = ref.length;
  const out = new Map<number, LabelMetrics>();
  for (const label of labels) {
    let TP = 0;
    let FP = 0;
    let FN = 0;
    let TN = 0;
    const refMask = new Uint8Array(n);
    const predMask = new Uint8Array(n);
    for (let v = 0; v < n; v++) {
      const r = ref[v]!;
      if (r === ignore) continue;
      const inRef = r === label;
      const inPred = pred[v] === label;
      if (inRef) refMask[v] = 1;
      if (inPred) predMask[v] = 1;
      if (inRef && inPred) TP++;
      else if (inPred) FP++;
      else if (inRef) FN++;
      else TN++;
    }
    const empty = TP + FP + FN === 0;
    out.set(label, {
      Dice: empty ? NaN : (2 * TP) / (2 * TP + FP + FN),
      IoU: empty ? NaN : TP / (TP + FP + FN),
      TP, FP, FN, TN,
      n_pred: TP + FP,
      n_ref: TP + FN,
      NSD: empty || options.surfaceDice === false ? NaN : normalizedSurfaceDice(refMask, predMask, shape, spacing, options.tolerance ?? 1),
    });
  }
  return out;
}
