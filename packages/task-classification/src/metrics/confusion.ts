/** Index of the largest value of row `i` of a row-major [N, K] matrix (the first on ties, as argmax). */
export function argmaxRow(scores: ArrayLike<number>, k: number, i: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (scores[i * k + c]! > scores[i * k + best]!) best = c;
  return best;
}

/** Predicted class of every row of row-major [N, K] scores. */
export function predictedClasses(scores: ArrayLike<number>, k: number): Int32Array {
  const n = scores.length / k;
  return Int32Array.from({ length: n }, (_, i) => argmaxRow(scores, k, i));
}

/**
 * Confusion matrix: entry [t][p] counts the cases of true class t predicted as p (scikit-learn's
 * `confusion_matrix(y_true, y_pred, labels=range(K))` layout).
 */
export function confusionMatrix(targets: ArrayLike<number>, predicted: ArrayLike<number>, k: number): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < targets.length; i++) m[targets[i]!]![predicted[i]!]!++;
  return m;
}
