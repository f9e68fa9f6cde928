import type { BenchmarkResults, Cell, TableRow } from '../aggregate.js';

/** Column headers and cell texts of the results table, shared by CSV, Markdown and HTML. */
export interface TableText {
  header: string[];
  rows: string[][];
}

const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(2) : '–');
export const cellText = (c: Cell | undefined) => (c && c.n ? `${pct(c.mean)} ± ${pct(c.sd)}` : '–');
export const pValue = (p: number) => (Number.isNaN(p) ? 'n/a' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

function deltaText(r: TableRow): string {
  const t = r.vsScratch.dice ?? r.vsScratch.balancedAccuracy;
  if (!t) return r.method ? '–' : 'baseline';
  return `${t.meanDifference >= 0 ? '+' : ''}${pct(t.meanDifference)} (p ${pValue(t.p)}, n ${t.n})`;
}

/** The table as text: Dice / balanced accuracy / AUROC in %, mean ± sd over folds × seeds, ranks, Δ to scratch. */
export function tableText(res: BenchmarkResults): TableText {
  const header = ['row'];
  for (const d of res.datasets) {
    if (d.task === 'segmentation') header.push(`${d.name} Dice`);
    else header.push(`${d.name} bal. acc.`, `${d.name} AUROC`);
  }
  header.push('mean Dice', 'mean rank', 'Δ vs scratch (paired t)');
  const rows = res.rows.map((r) => {
    const cells = [r.key];
    for (const d of res.datasets) {
      if (d.task === 'segmentation') cells.push(cellText(r.cells[d.name]?.dice));
      else cells.push(cellText(r.cells[d.name]?.balancedAccuracy), cellText(r.cells[d.name]?.auroc));
    }
    cells.push(pct(r.meanDice), Number.isFinite(r.meanRank) ? r.meanRank.toFixed(2) : '–', deltaText(r));
    return cells;
  });
  return { header, rows };
}

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** results.csv: one line per row × dataset × metric, numbers as fractions (machine-readable). */
export function resultsCsv(res: BenchmarkResults): string {
  const lines = ['row,arch,method,dataset,task,metric,mean,sd,n,rank,diff_vs_scratch,p_vs_scratch'];
  for (const r of res.rows) {
    for (const d of res.datasets) {
      for (const [metric, c] of Object.entries(r.cells[d.name] ?? {})) {
        if (!c) continue;
        const t = metric === 'dice' ? r.vsScratch.dice : metric === 'balancedAccuracy' ? r.vsScratch.balancedAccuracy : undefined;
        const rank = (metric === 'dice' || metric === 'balancedAccuracy') ? r.ranks[d.name] : undefined;
        lines.push([r.key, r.arch, r.method ?? 'scratch', d.name, d.task, metric, c.mean, c.sd, c.n, rank ?? '', t?.meanDifference ?? '', t?.p ?? '']
          .map((x) => csvField(String(x))).join(','));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** table.md: the table as GitHub Markdown, with where each number comes from. */
export function resultsMarkdown(res: BenchmarkResults): string {
  const t = tableText(res);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    `# Benchmark '${res.name}'`,
    '',
    `${res.jobs.done} of ${res.jobs.total} jobs finished. Numbers in %, mean ± sd over folds × seeds.`,
    ...res.datasets.map((d) => `- ${d.name} (${d.task}): ${d.source}`),
    '',
    line(t.header),
    line(t.header.map(() => '---')),
    ...t.rows.map(line),
    '',
    'Ranks per dataset by the mean of its primary metric (Dice, balanced accuracy), 1 = best, ties share their mean rank.',
    'Δ vs scratch: mean difference to the from-scratch baseline of the same architecture over paired (dataset, fold, seed) units,',
    'two-sided paired t-test.',
    '',
  ].join('\n');
}
