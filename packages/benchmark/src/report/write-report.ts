import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@openmind-ssl/core';
import type { BenchmarkResults } from '../aggregate.js';
import { pValue, resultsCsv, resultsMarkdown, tableText } from './format.js';
import { barChart, heatMap, lineChart } from './svg-charts.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The HTML page: the table first, then bars per dataset, the row × dataset heat map, fine-tuning curves. */
export function resultsHtml(res: BenchmarkResults): string {
  const t = tableText(res);
  const table = `<table><thead><tr>${t.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map((c, i) => (i ? `<td>${esc(c)}</td>` : `<th>${esc(c)}</th>`)).join('')}</tr>`).join('')}</tbody></table>`;
  const bars = res.datasets.map((d) => {
    const metric = d.task === 'segmentation' ? 'dice' : 'balancedAccuracy';
    return barChart(`${d.name}: ${d.task === 'segmentation' ? 'Dice' : 'balanced accuracy'} (%)`, res.rows.map((r) => ({ label: r.key, mean: r.cells[d.name]?.[metric]?.mean ?? NaN, sd: r.cells[d.name]?.[metric]?.sd ?? 0 })));
  });
  const heat = heatMap('Row × dataset (Dice / balanced accuracy, %)', res.rows.map((r) => r.key), res.datasets.map((d) => d.name), (i, j) => {
    const d = res.datasets[j]!;
    return res.rows[i]!.cells[d.name]?.[d.task === 'segmentation' ? 'dice' : 'balancedAccuracy']?.mean ?? NaN;
  });
  const curves = Object.entries(res.curves).map(([dataset, byRow]) => lineChart(`${dataset}: validation pseudo-Dice per epoch (mean over folds × seeds)`, Object.entries(byRow).map(([label, pts]) => ({ label, points: pts.map((p) => ({ x: p.epoch + 1, y: p.pseudoDice })) })), 'epoch'));
  const tests = res.rows.filter((r) => r.vsScratch.dice ?? r.vsScratch.balancedAccuracy).map((r) => {
    const rows = Object.entries(r.vsScratch).map(([m, x]) => `<li>${esc(m)}: ${(100 * x.meanDifference).toFixed(2)} points vs ${esc(r.baseline ?? '')} over ${x.n} paired units, t = ${x.t.toFixed(3)} (df ${x.df}), two-sided p = ${pValue(x.p)}</li>`);
    return `<li><b>${esc(r.key)}</b><ul>${rows.join('')}</ul></li>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Benchmark ${esc(res.name)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right;font-size:13px}thead th{background:#f4f4f4}tbody th{text-align:left}figure{display:inline-block;margin:0 1em 1em 0}</style>
</head><body>
<h1>Benchmark '${esc(res.name)}'</h1>
<p>${res.jobs.done} of ${res.jobs.total} jobs finished. Numbers in %, mean ± sd over folds × seeds. ${res.datasets.map((d) => `${esc(d.name)}: ${esc(d.source)}`).join('; ')}.</p>
${table}
<h2>Difference to the from-scratch baseline (paired t-test)</h2>
<ul>${tests.join('') || '<li>no pre-trained row with a finished baseline</li>'}</ul>
<h2>Per dataset</h2>
${bars.map((b) => `<figure>${b}</figure>`).join('\n')}
<h2>Heat map</h2>
<figure>${heat}</figure>
<h2>Fine-tuning curves</h2>
${curves.map((c) => `<figure>${c}</figure>`).join('\n') || '<p>no segmentation curves</p>'}
</body></html>
`;
}

/** Writes results.json, results.csv, table.md and index.html into `dir`; returns their paths. */
export async function writeBenchmarkReport(dir: string, res: BenchmarkResults): Promise<Record<'json' | 'csv' | 'markdown' | 'html', string>> {
  mkdirSync(dir, { recursive: true });
  const files = { json: join(dir, 'results.json'), csv: join(dir, 'results.csv'), markdown: join(dir, 'table.md'), html: join(dir, 'index.html') };
  // NaN is not JSON: written as null.
  await writeFileAtomic(files.json, `${JSON.stringify(res, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1)}\n`);
  await writeFileAtomic(files.csv, resultsCsv(res));
  await writeFileAtomic(files.markdown, resultsMarkdown(res));
  await writeFileAtomic(files.html, resultsHtml(res));
  return files;
}
