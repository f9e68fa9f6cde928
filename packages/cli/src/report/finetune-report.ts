import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@openmind-ssl/core';
import { type EpochRecord, type EvaluationSummary, perCaseDice, type SegmentationPlan } from '@openmind-ssl/task-segmentation';
import { type EpochPoint, epochChartSvg } from './epoch-chart.js';
import { type SliceCase, writeValidationSlices } from './validation-slices.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? 'NaN' : x.toFixed(4));

/**
 * Writes report/index.html for a segmentation fine-tuning run: training and validation loss, pseudo-Dice
 * per class and its EMA, the learning rate of each parameter group over epochs (SVG charts), the final
 * validation's Dice per case and label, an axial slice through the largest lesion of each of `sliceCases`
 * (validation cases) with the reference and predicted contours, and the run's settings. Returns the page's path.
 */
export async function writeFinetuneReport(
  runDir: string,
  o: { title: string; settings: Record<string, unknown>; plan: SegmentationPlan; log: readonly EpochRecord[]; validation?: EvaluationSummary; sliceCases?: readonly SliceCase[] },
): Promise<string> {
  const dir = join(runDir, 'report');
  await mkdir(dir, { recursive: true });
  const loss: EpochPoint[] = o.log.flatMap((r) => [
    { epoch: r.epoch, series: 'training', value: r.trainLoss },
    ...(r.valLoss !== null ? [{ epoch: r.epoch, series: 'validation', value: r.valLoss }] : []),
  ]);
  const dice: EpochPoint[] = o.log.flatMap((r) => [
    ...Object.entries(r.pseudoDice).map(([label, v]) => ({ epoch: r.epoch, series: label, value: v ?? NaN })),
    { epoch: r.epoch, series: 'EMA of the mean', value: r.emaPseudoDice ?? NaN },
  ]);
  const lr: EpochPoint[] = o.log.flatMap((r) => Object.entries(r.lr).map(([group, v]) => ({ epoch: r.epoch, series: group, value: v })));
  await writeFile(join(dir, 'loss.svg'), await epochChartSvg('Loss (Dice + CE)', 'loss', loss));
  await writeFile(join(dir, 'pseudo-dice.svg'), await epochChartSvg('Online pseudo-Dice on validation patches', 'Dice', dice));
  await writeFile(join(dir, 'lr.svg'), await epochChartSvg('Learning rate per parameter group', 'learning rate', lr));
  const labels = Object.entries(o.plan.labels).filter(([, v]) => v !== 0 && v !== o.plan.ignoreLabel).map(([name, v]) => ({ name, value: v }));
  const cases = o.validation ? perCaseDice(o.validation) : [];
  const validation = o.validation
    ? `<h2>Final validation (full size, ${cases.length} cases)</h2>
<p>Mean foreground Dice ${fmt(o.validation.foreground_mean['Dice'])} (nnU-Net's summary: validation/summary.json).</p>
<table><tr><th>case</th>${labels.map((l) => `<th>${esc(l.name)}</th>`).join('')}</tr>
${cases.map((c) => `<tr><td>${esc(c.case)}</td>${labels.map((l) => `<td>${fmt(c.dice[String(l.value)])}</td>`).join('')}</tr>`).join('\n')}
<tr><td><b>mean</b></td>${labels.map((l) => `<td><b>${fmt(o.validation!.mean[String(l.value)]?.['Dice'])}</b></td>`).join('')}</tr></table>`
    : '<p>No final validation (--no-validation).</p>';
  const slices = o.sliceCases?.length ? await writeValidationSlices(dir, o.sliceCases, o.plan.ignoreLabel) : [];
  const diceOf = new Map(cases.map((c) => [c.case, c.dice]));
  const slicesHtml = slices.length
    ? `<h2>Validation slices</h2>
<p>An axial slice through the largest lesion (connected reference region) of each case, as predicted at full size: reference contour green, prediction red, both yellow; patient's right on the left, anterior up.</p>
<div>${slices.map((s) => `<figure style="display:inline-block;margin:0 1em 1em 0"><img src="${esc(s.file)}" width="${s.width}" height="${s.height}" alt="validation slice of ${esc(s.id)}" data-case="${esc(s.id)}" data-axis="${s.axis}" data-index="${s.index}">
<figcaption>${esc(s.id)}: slice ${s.index} of axis ${'ijk'[s.axis]}, lesion ${s.lesionVoxels} voxels, Dice ${labels.map((l) => `${esc(l.name)} ${fmt(diceOf.get(s.id)?.[String(l.value)])}`).join(', ')}</figcaption></figure>`).join('\n')}</div>`
    : '';
  const last = o.log.at(-1);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(o.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}td,th{padding:2px 12px 2px 0;text-align:left}</style></head>
<body><h1>${esc(o.title)}</h1>
<p>${o.log.length} epochs${last ? `; last epoch: training loss ${fmt(last.trainLoss)}, validation loss ${fmt(last.valLoss)}, EMA pseudo-Dice ${fmt(last.emaPseudoDice)}` : ''}.</p>
<h2>Loss</h2><img src="loss.svg" alt="loss per epoch">
<h2>Pseudo-Dice</h2><img src="pseudo-dice.svg" alt="pseudo-Dice per class and its EMA">
<h2>Learning rate</h2><img src="lr.svg" alt="learning rate per parameter group">
${validation}
${slicesHtml}
<h2>Settings</h2><table>${Object.entries(o.settings).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(typeof v === 'string' ? v : JSON.stringify(v))}</td></tr>`).join('')}</table>
</body></html>
`;
  const page = join(dir, 'index.html');
  await writeFileAtomic(page, html);
  return page;
}
