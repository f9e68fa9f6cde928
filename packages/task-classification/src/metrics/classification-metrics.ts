import { averagePrecision, rocAuc } from './binary-curves.js';
import { confusionMatrix, predictedClasses } from './confusion.js';

/** The metrics of one evaluation. Names say which definition each is. */
export interface ClassificationMetricValues {
  /** The reference's (SSL3D_classification) balanced accuracy: mean over classes of (recall + specificity) / 2, with 1e-8 in each denominator. */
  balancedAccuracyReference: number;
  /** scikit-learn's `balanced_accuracy_score`: mean recall over the classes that occur in the truth. */
  balancedAccuracy: number;
  /** Mean one-vs-rest ROC AUC over the classes (scikit-learn `roc_auc_score(multi_class='ovr', average='macro')`). */
  aurocMacro: number;
  /** Mean one-vs-rest average precision over the classes. */
  averagePrecisionMacro: number;
  /** Mean F1 over all K classes (scikit-learn `f1_score(labels=range(K), average='macro', zero_division=0)`). */
  f1Macro: number;
  accuracy: number;
  /** [true][predicted] counts. */
  confusion: number[][];
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Multiclass metrics of probabilities `probs` (row-major [N, K]) against class indices `targets`;
 * predictions are the argmax. Classes missing from the truth make their AUROC / AP NaN, and so the macro
 * means NaN, as scikit-learn refuses them.
 */
export function multiclassMetrics(probs: ArrayLike<number>, targets: ArrayLike<number>, k: number): ClassificationMetricValues {
  const predicted = predictedClasses(probs, k);
  const confusion = confusionMatrix(targets, predicted, k);
  const n = targets.length;
  const recalls: number[] = [];
  const refPerClass: number[] = [];
  const f1s: number[] = [];
  let correct = 0;
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    const fn = confusion[c]!.reduce((a, b) => a + b, 0) - tp;
    const fp = confusion.reduce((a, row) => a + row[c]!, 0) - tp;
    const tn = n - tp - fn - fp;
    correct += tp;
    if (tp + fn > 0) recalls.push(tp / (tp + fn));
    refPerClass.push((tp / (tp + fn + 1e-8) + tn / (tn + fp + 1e-8)) / 2);
    f1s.push(2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0);
  }
  const oneVsRest = (c: number) => {
    const truth = Int8Array.from({ length: n }, (_, i) => (targets[i] === c ? 1 : 0));
    const scores = Float64Array.from({ length: n }, (_, i) => probs[i * k + c]!);
    return { truth, scores };
  };
  const aucs: number[] = [];
  const aps: number[] = [];
  for (let c = 0; c < k; c++) {
    const { truth, scores } = oneVsRest(c);
    aucs.push(rocAuc(truth, scores));
    aps.push(averagePrecision(truth, scores));
  }
  return {
    balancedAccuracyReference: mean(refPerClass),
    balancedAccuracy: mean(recalls),
    aurocMacro: mean(aucs),
    averagePrecisionMacro: mean(aps),
    f1Macro: mean(f1s),
    accuracy: correct / n,
    confusion,
  };
}

/**
 * Multi-label metrics of probabilities [N, K] against 0/1 targets [N, K]: each label is a binary task
 * thresholded at 0.5 (the reference's threshold); balanced accuracy (both definitions agree for a binary
 * task) and F1 of the positive class, AUROC and AP of each label, averaged over labels.
 * The confusion is per label [[tn, fp], [fn, tp]], concatenated.
 */
export function multilabelMetrics(probs: ArrayLike<number>, targets: ArrayLike<number>, k: number): ClassificationMetricValues {
  const n = targets.length / k;
  const bal: number[] = [];
  const balSk: number[] = [];
  const f1s: number[] = [];
  const aucs: number[] = [];
  const aps: number[] = [];
  const confusion: number[][] = [];
  let correct = 0;
  for (let c = 0; c < k; c++) {
    const truth = Int8Array.from({ length: n }, (_, i) => targets[i * k + c]!);
    const scores = Float64Array.from({ length: n }, (_, i) => probs[i * k + c]!);
    let tp = 0, fp = 0, tn = 0, fn = 0;
    for (let i = 0; i < n; i++) {
      const p = scores[i]! >= 0.5 ? 1 : 0;
      if (p && truth[i]) tp++; else if (p) fp++; else if (truth[i]) fn++; else tn++;
    }
    correct += tp + tn;
    bal.push((tp / (tp + fn + 1e-8) + tn / (tn + fp + 1e-8)) / 2);
    const rec = [tp + fn ? tp / (tp + fn) : NaN, tn + fp ? tn / (tn + fp) : NaN].filter((x) => !Number.isNaN(x));
    balSk.push(mean(rec));
    f1s.push(2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0);
    aucs.push(rocAuc(truth, scores));
    aps.push(averagePrecision(truth, scores));
    confusion.push([tn, fp], [fn, tp]);
  }
  return {
    balancedAccuracyReference: mean(bal), balancedAccuracy: mean(balSk), aurocMacro: mean(aucs), averagePrecisionMacro: mean(aps),
    f1Macro: mean(f1s), accuracy: correct / (n * k), confusion,
  };
}
