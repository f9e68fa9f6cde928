/**
 * Area under the ROC curve of scores for a binary truth (1 = positive): the trapezoidal area over the
 * distinct thresholds, which equals the Mann–Whitney statistic with ties counted one half (scikit-learn's
 * `roc_auc_score`). NaN when one of the two classes is absent (scikit-learn raises there).
 */
export function rocAuc(truth: ArrayLike<number>, scores: ArrayLike<number>): number {
  const order = sortedDescending(scores);
  let pos = 0;
  for (let i = 0; i < truth.length; i++) pos += truth[i] ? 1 : 0;
  const neg = truth.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  let area = 0;
  let tp = 0;
  let fp = 0;
  for (let a = 0; a < order.length;) {
    let b = a;
    let dtp = 0;
    let dfp = 0;
    while (b < order.length && scores[order[b]!] === scores[order[a]!]) { if (truth[order[b]!]) dtp++; else dfp++; b++; }
    area += dfp * (tp + dtp / 2);
    tp += dtp;
    fp += dfp;
    a = b;
  }
  return area / (pos * neg);
}

/**
 * Average precision: Σ_n (R_n − R_{n−1}) · P_n over the distinct score thresholds, highest first — the
 * step-wise sum without interpolation of scikit-learn's `average_precision_score` (and torchmetrics').
 * NaN without positives.
 */
export function averagePrecision(truth: ArrayLike<number>, scores: ArrayLike<number>): number {
  const order = sortedDescending(scores);
  let pos = 0;
  for (let i = 0; i < truth.length; i++) pos += truth[i] ? 1 : 0;
  if (pos === 0) return Number.NaN;
  let ap = 0;
  let tp = 0;
  let seen = 0;
  for (let a = 0; a < order.length;) {
    let b = a;
    let dtp = 0;
    while (b < order.length && scores[order[b]!] === scores[order[a]!]) { if (truth[order[b]!]) dtp++; b++; }
    tp += dtp;
    seen += b - a;
    ap += (dtp / pos) * (tp / seen);
    a = b;
  }
  return ap;
}

/** ROC curve points (false-positive rate, true-positive rate) at the distinct thresholds, from (0, 0). */
export function rocCurve(truth: ArrayLike<number>, scores: ArrayLike<number>): { fpr: number[]; tpr: number[] } {
  const order = sortedDescending(scores);
  let pos = 0;
  for (let i = 0; i < truth.length; i++) pos += truth[i] ? 1 : 0;
  const neg = truth.length - pos;
  const fpr = [0];
  const tpr = [0];
  let tp = 0;
  let fp = 0;
  for (let a = 0; a < order.length;) {
    let b = a;
    while (b < order.length && scores[order[b]!] === scores[order[a]!]) { if (truth[order[b]!]) tp++; else fp++; b++; }
    fpr.push(neg ? fp / neg : 0);
    tpr.push(pos ? tp / pos : 0);
    a = b;
  }
  return { fpr, tpr };
}

function sortedDescending(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
}
