/** Mean and sample standard deviation (n − 1; 0 for one value). NaN values are left out. */
export function meanSd(values: readonly number[]): { mean: number; sd: number; n: number } {
  const xs = values.filter((x) => Number.isFinite(x));
  const n = xs.length;
  if (n === 0) return { mean: NaN, sd: NaN, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}

/** ln Γ(x), Lanczos (g = 7, 9 terms), accurate to ~1e-15 for x > 0. */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom: P(|T| ≥ |t|). */
export function studentTTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** A paired comparison of two rows over the same units (fold × seed × dataset). */
export interface PairedTest {
  n: number;
  meanDifference: number;
  sdDifference: number;
  t: number;
  df: number;
  /** Two-sided; NaN when there are fewer than 2 pairs or every difference is equal. */
  p: number;
}

/**
 * Paired t-test of a − b (scipy.stats.ttest_rel, two-sided): t = mean(d) / (sd(d)/√n), df = n − 1. Pairs
 * with a non-finite value are left out.
 */
export function pairedTTest(a: readonly number[], b: readonly number[]): PairedTest {
  if (a.length !== b.length) throw new RangeError(`pairedTTest: ${a.length} and ${b.length} values; a paired test needs pairs`);
  const d = a.map((x, i) => x - b[i]!).filter((x) => Number.isFinite(x));
  const { mean, sd, n } = meanSd(d);
  const df = n - 1;
  if (n < 2) return { n, meanDifference: mean, sdDifference: sd, t: NaN, df, p: NaN };
  const t = mean / (sd / Math.sqrt(n));
  return { n, meanDifference: mean, sdDifference: sd, t, df, p: sd === 0 ? NaN : studentTTwoSided(t, df) };
}

/** Ranks with ties sharing their mean rank; higher is better (rank 1), NaN ranks last-but-NaN. */
export function ranksHigherBetter(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v: Number.isFinite(v) ? v : -Infinity, i })).sort((x, y) => y.v - x.v);
  const ranks = new Array<number>(values.length);
  for (let k = 0; k < order.length;) {
    let e = k;
    while (e + 1 < order.length && order[e + 1]!.v === order[k]!.v) e++;
    for (let j = k; j <= e; j++) ranks[order[j]!.i] = (k + e) / 2 + 1;
    k = e + 1;
  }
  return ranks;
}
