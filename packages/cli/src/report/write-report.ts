import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@openmind-ssl/core';
import { lossChartSvg, type StepMetric, type ValMetric } from './loss-chart.js';

/** A set of preview images (file names inside report/) with a caption. */
export interface PreviewSet {
  title: string;
  images: { file: string; caption: string }[];
}

/** Reads a JSON-lines file of a run folder (missing file: none; lines that do not parse are ignored). */
async function readJsonLines<T>(file: string): Promise<T[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').flatMap((l) => {
    try {
      return l.trim() ? [JSON.parse(l) as T] : [];
    } catch {
      return [];
    }
  });
}

/** metrics.jsonl of a run folder: one line per step. */
export function readMetrics(runDir: string): Promise<StepMetric[]> {
  return readJsonLines<StepMetric>(join(runDir, 'metrics.jsonl'));
}

/** val.jsonl of a run folder, the last line per epoch (a resumed run may have validated an epoch twice). */
export async function readValidation(runDir: string): Promise<ValMetric[]> {
  const byEpoch = new Map((await readJsonLines<ValMetric>(join(runDir, 'val.jsonl'))).map((v) => [v.epoch, v]));
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/** The report's sentence on validation: the first and last epoch's loss, or the one epoch's. */
export function validationSummary(validation: readonly ValMetric[]): string {
  const first = validation[0];
  const last = validation.at(-1);
  if (!first || !last) return '';
  if (first === last) return ` Validation loss after epoch ${first.epoch + 1}: ${first.val_loss.toPrecision(4)}.`;
  return ` Validation loss after epoch ${first.epoch + 1}: ${first.val_loss.toPrecision(4)}; after epoch ${last.epoch + 1}: ${last.val_loss.toPrecision(4)}.`;
}

/**
 * Writes report/index.html: the run's settings, the Vega-Lite loss curve (report/loss.svg) and the
 * reconstruction previews. Returns the path of the page.
 */
export async function writeReport(runDir: string, o: { title: string; settings: Record<string, unknown>; previews: PreviewSet[] }): Promise<string> {
  const dir = join(runDir, 'report');
  await mkdir(dir, { recursive: true });
  const metrics = await readMetrics(runDir);
  const validation = await readValidation(runDir);
  await writeFile(join(dir, 'loss.svg'), await lossChartSvg(metrics, validation));
  const first = metrics.slice(0, 20).map((m) => m.loss);
  const last = metrics.slice(-20).map((m) => m.loss);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(o.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}td{padding:2px 12px 2px 0}
figure{display:inline-block;margin:0 12px 12px 0;text-align:center}img{image-rendering:pixelated;border:1px solid #ccc}</style></head>
<body><h1>${esc(o.title)}</h1>
<p>${metrics.length} steps; mean loss of the first 20 steps ${mean(first).toPrecision(4)}, of the last 20 steps ${mean(last).toPrecision(4)}.${validationSummary(validation)}</p>
<h2>Loss</h2><img src="loss.svg" alt="loss curve">
${o.previews.map((p) => `<h2>${esc(p.title)}</h2>\n${p.images.map((i) => `<figure><img src="${esc(i.file)}" alt="${esc(i.caption)}"><figcaption>${esc(i.caption)}</figcaption></figure>`).join('\n')}`).join('\n')}
<h2>Settings</h2><table>${Object.entries(o.settings).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(typeof v === 'string' ? v : JSON.stringify(v))}</td></tr>`).join('')}</table>
</body></html>
`;
  const page = join(dir, 'index.html');
  await writeFileAtomic(page, html);
  return page;
}
