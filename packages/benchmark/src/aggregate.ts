import { readDone } from './job-state.js';
import type { BenchmarkPlan } from './runner.js';
import type { CurvePoint, Measurement } from './results.js';
import { meanSd, type PairedTest, pairedTTest, ranksHigherBetter } from './statistics.js';

/** One metric of one table row on one dataset, over its folds × seeds. */
export interface Cell {
  mean: number;
  sd: number;
  n: number;
  /** Every value, by `fold/seed`. */
  values: Record<string, number>;
}

export interface TableRow {
  /** `mae/resenc-l`, `scratch/resenc-l`, with ` [schedule]` where a row is fine-tuned with several. */
  key: string;
  arch: string;
  method: string | null;
  /** Per dataset, per metric. */
  cells: Record<string, Partial<Record<Measurement['metric'], Cell>>>;
  /** Mean of the segmentation datasets' mean Dice (NaN unless every segmentation dataset has a value). */
  meanDice: number;
  /** Mean rank over datasets (primary metric: Dice, balanced accuracy). */
  meanRank: number;
  ranks: Record<string, number>;
  /** The row's from-scratch baseline (same architecture), or null. */
  baseline: string | null;
  /** Difference to the baseline over paired units (dataset × fold × seed) of segmentation Dice, and classification balanced accuracy. */
  vsScratch: { dice?: PairedTest; balancedAccuracy?: PairedTest };
}

export interface DatasetInfo {
  name: string;
  task: 'segmentation' | 'classification';
  /** Where the numbers come from (test set, the folds' validation cases, cross-validation). */
  source: string;
}

/** The results of a benchmark folder, ready for the writers. */
export interface BenchmarkResults {
  name: string;
  datasets: DatasetInfo[];
  rows: TableRow[];
  /** Mean pseudo-Dice per epoch per row per segmentation dataset (over folds × seeds). */
  curves: Record<string, Record<string, { epoch: number; pseudoDice: number; sd: number; n: number }[]>>;
  jobs: { total: number; done: number };
}

const primary = (task: 'segmentation' | 'classification'): Measurement['metric'] => (task === 'segmentation' ? 'dice' : 'balancedAccuracy');

/** Gathers every finished job's numbers into the table: means, sds, ranks and the paired comparison with scratch. */
export function aggregateResults(root: string, plan: BenchmarkPlan): BenchmarkResults {
  const { spec, jobs } = plan;
  const multi = new Set(spec.methods.filter((m) => m.schedules.length > 1).map((m) => `${m.method}/${m.arch}`));
  const keyOf = (row: string, schedule?: string) => (schedule && multi.has(row) ? `${row} [${schedule}]` : row);
  const testSets = new Set(spec.downstream.filter((d) => d.test).map((d) => d.name));
  const rows = new Map<string, TableRow>();
  const curveParts = new Map<string, CurvePoint[][]>();
  let done = 0;
  for (const job of jobs) {
    const rec = readDone(root, job.id);
    if (rec) done++;
    const m = job.meta;
    if (!rec || !m.row || !m.dataset) continue;
    const key = keyOf(m.row, m.schedule);
    const row = rows.get(key) ?? {
      key, arch: m.arch!, method: m.method ?? null, cells: {}, meanDice: NaN, meanRank: NaN, ranks: {}, baseline: null, vsScratch: {},
    };
    rows.set(key, row);
    if (job.kind === 'finetune' && rec.result.curve?.length) {
      const ck = `${m.dataset}\u0000${key}`;
      curveParts.set(ck, [...(curveParts.get(ck) ?? []), rec.result.curve]);
    }
    // With a test set the table scores the evaluate jobs; else the fine-tuning jobs' own numbers.
    const counts = m.task === 'classification' || (testSets.has(m.dataset) ? job.kind === 'evaluate' : job.kind === 'finetune');
    if (!counts) continue;
    const cells = (row.cells[m.dataset] ??= {});
    for (const x of rec.result.measurements) {
      const cell = (cells[x.metric] ??= { mean: NaN, sd: NaN, n: 0, values: {} });
      cell.values[`${x.fold}/${x.seed}`] = x.value;
    }
  }
  for (const row of rows.values()) {
    for (const cells of Object.values(row.cells)) {
      for (const cell of Object.values(cells)) Object.assign(cell, meanSd(Object.values(cell.values)));
    }
  }
  const datasets: DatasetInfo[] = spec.downstream.map((d) => ({
    name: d.name, task: d.task, source: d.task === 'classification' ? `${d.folds}-fold cross-validation` : d.test ? 'held-out test set' : "each fold's validation cases",
  }));
  // Rows in the spec's order: methods, then baselines.
  const order = [...spec.methods.flatMap((m) => (m.schedules.length > 1 ? m.schedules.map((s) => keyOf(`${m.method}/${m.arch}`, s)) : [`${m.method}/${m.arch}`])), ...spec.scratch.map((s) => `scratch/${s.arch}`)];
  const table = order.map((k) => rows.get(k)).filter((r): r is TableRow => r !== undefined);
  for (const d of datasets) {
    const metric = primary(d.task);
    const ranks = ranksHigherBetter(table.map((r) => r.cells[d.name]?.[metric]?.mean ?? NaN));
    table.forEach((r, i) => {
      if (Number.isFinite(r.cells[d.name]?.[metric]?.mean)) r.ranks[d.name] = ranks[i]!;
    });
  }
  const seg = datasets.filter((d) => d.task === 'segmentation');
  for (const r of table) {
    const diceMeans = seg.map((d) => r.cells[d.name]?.dice?.mean ?? NaN);
    r.meanDice = seg.length && diceMeans.every(Number.isFinite) ? diceMeans.reduce((a, b) => a + b, 0) / seg.length : NaN;
    const rk = Object.values(r.ranks);
    r.meanRank = rk.length ? rk.reduce((a, b) => a + b, 0) / rk.length : NaN;
    const baseline = r.method ? table.find((b) => b.method === null && b.arch === r.arch) : undefined;
    if (!baseline) continue;
    r.baseline = baseline.key;
    for (const [metric, task] of [['dice', 'segmentation'], ['balancedAccuracy', 'classification']] as const) {
      const a: number[] = [];
      const b: number[] = [];
      for (const d of datasets.filter((x) => x.task === task)) {
        const mine = r.cells[d.name]?.[metric]?.values ?? {};
        const theirs = baseline.cells[d.name]?.[metric]?.values ?? {};
        for (const unit of Object.keys(mine).sort()) {
          if (unit in theirs) {
            a.push(mine[unit]!);
            b.push(theirs[unit]!);
          }
        }
      }
      if (a.length) r.vsScratch[metric] = pairedTTest(a, b);
    }
  }
  const curves: BenchmarkResults['curves'] = {};
  for (const [ck, runs] of curveParts) {
    const [dataset, key] = ck.split('\u0000') as [string, string];
    const epochs = Math.max(...runs.map((c) => c.length));
    const series = [];
    for (let e = 0; e < epochs; e++) {
      const s = meanSd(runs.map((c) => c[e]?.pseudoDice ?? NaN));
      if (s.n) series.push({ epoch: e, pseudoDice: s.mean, sd: s.sd, n: s.n });
    }
    (curves[dataset] ??= {})[key] = series;
  }
  return { name: spec.name, datasets, rows: table, curves, jobs: { total: jobs.length, done } };
}
