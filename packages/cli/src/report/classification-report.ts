import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@openmind-ssl/core';
import { type FoldResult, type MeanSd, multiclassMetrics, multilabelMetrics, rocAuc, rocCurve } from '@openmind-ssl/task-classification';
import { type EpochPoint, epochChartSvg } from './epoch-chart.js';
import { matrixHeatmapSvg } from './matrix-heatmap.js';
import { type RocSeries, rocChartSvg } from './roc-chart.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? 'NaN' : x.toFixed(3));

/** The metrics charted per epoch, with the names the page gives them. */
const EPOCH_METRICS = [
  ['balancedAccuracy', 'Balanced accuracy (scikit-learn: mean recall)'],
  ['balancedAccuracyReference', "Balanced accuracy (the reference's: mean of (recall + specificity) / 2)"],
  ['aurocMacro', 'Macro AUROC (one-vs-rest)'],
  ['averagePrecisionMacro', 'Macro average precision'],
  ['f1Macro', 'Macro F1'],
] as const;

/** Every fold's final validation probabilities and targets, concatenated (each case where it was held out). */
export function pooledValidation(folds: readonly FoldResult[]): { probs: Float64Array; targets: Int32Array } {
  const probs = folds.flatMap((f) => [...f.validation.probs]);
  const targets = folds.flatMap((f) => [...f.validation.targets]);
  return { probs: Float64Array.from(probs), targets: Int32Array.from(targets) };
}

/**
 * One-vs-rest ROC curves of pooled validation probabilities [N, K]: one per class (two classes: the
 * second, the positive class whose AUROC the metrics report), one per label for multi-label targets [N, K].
 */
export function rocSeries(classes: readonly string[], multilabel: boolean, pooled: { probs: ArrayLike<number>; targets: ArrayLike<number> }): RocSeries[] {
  const k = classes.length;
  const n = pooled.probs.length / k;
  const shown = !multilabel && k === 2 ? [1] : classes.map((_, c) => c);
  return shown.map((c) => {
    const truth = Int8Array.from({ length: n }, (_, i) => (multilabel ? pooled.targets[i * k + c]! : pooled.targets[i] === c ? 1 : 0));
    const scores = Float64Array.from({ length: n }, (_, i) => pooled.probs[i * k + c]!);
    const { fpr, tpr } = rocCurve(truth, scores);
    return { name: `${classes[c]} (AUC ${fmt(rocAuc(truth, scores))})`, fpr, tpr };
  });
}

/** Options of {@link writeClassificationReport}. */
export interface ClassificationReportInput {
  title: string;
  settings: Record<string, unknown>;
  classes: readonly string[];
  multilabel: boolean;
  folds: readonly FoldResult[];
  /** Mean ± sd over folds of each scalar metric. */
  summary: Readonly<Record<string, MeanSd>>;
}

/**
 * Writes report/index.html for a classification fine-tuning run, one self-contained page with inline SVG:
 * the final metrics per fold and their mean ± sd, the training loss, each metric and the learning rates
 * per epoch (a line per fold), the confusion matrix and ROC curves of the pooled held-out predictions
 * (every fold's final network on its own validation cases). Returns the page's path.
 */
export async function writeClassificationReport(runDir: string, o: ClassificationReportInput): Promise<string> {
  const dir = join(runDir, 'report');
  await mkdir(dir, { recursive: true });
  const perFold = (value: (r: FoldResult['history'][number]) => number): EpochPoint[] =>
    o.folds.flatMap((f) => f.history.map((r) => ({ epoch: r.epoch, series: `fold ${f.fold}`, value: value(r) })));
  const loss = await epochChartSvg('Training loss', 'loss', perFold((r) => r.trainLoss));
  const metricCharts = await Promise.all(EPOCH_METRICS.map(([key, title]) => epochChartSvg(`${title}, validation`, key, perFold((r) => r.val[key]))));
  const lr = await epochChartSvg('Learning rate per parameter group (fold 0)', 'learning rate',
    (o.folds[0]?.history ?? []).flatMap((r) => Object.entries(r.lr).map(([group, v]) => ({ epoch: r.epoch, series: group, value: v }))));

  const pooled = pooledValidation(o.folds);
  const k = o.classes.length;
  const pooledMetrics = o.multilabel ? multilabelMetrics(pooled.probs, pooled.targets, k) : multiclassMetrics(pooled.probs, pooled.targets, k);
  const confusions = o.multilabel
    ? await Promise.all(o.classes.map((name, c) => matrixHeatmapSvg({
      type: 'matrix', title: name, values: pooledMetrics.confusion.slice(2 * c, 2 * c + 2), rowLabels: ['true 0', 'true 1'], columnLabels: ['predicted 0', 'predicted 1'], valueLabel: 'cases',
    })))
    : [await matrixHeatmapSvg({
      type: 'matrix', title: 'confusion', values: pooledMetrics.confusion, rowLabels: o.classes.map((c) => `true ${c}`), columnLabels: o.classes.map((c) => `predicted ${c}`), valueLabel: 'cases',
    })];
  const roc = await rocChartSvg('ROC curves (held-out predictions of all folds)', rocSeries(o.classes, o.multilabel, pooled));

  const scalarKeys = [...EPOCH_METRICS.map(([key]) => key), 'accuracy'] as const;
  const foldRows = o.folds.map((f) => `<tr><td>fold ${f.fold} (${f.val.length} val)</td>${scalarKeys.map((key) => `<td>${fmt(f.final[key])}</td>`).join('')}</tr>`).join('\n');
  const meanRow = `<tr><td><b>mean ± sd</b></td>${scalarKeys.map((key) => `<td><b>${fmt(o.summary[key]?.mean)} ± ${fmt(o.summary[key]?.sd)}</b></td>`).join('')}</tr>`;
  const epochs = o.folds[0]?.history.length ?? 0;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(o.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}td,th{padding:2px 12px 2px 0;text-align:left}figure{margin:1em 0}</style></head>
<body><h1>${esc(o.title)}</h1>
<p>${o.folds.length} fold(s), ${epochs} epochs, classes: ${o.classes.map(esc).join(', ')}${o.multilabel ? ' (multi-label)' : ''}.</p>
<h2>Final validation metrics</h2>
<table><tr><th></th>${scalarKeys.map((key) => `<th>${esc(key)}</th>`).join('')}</tr>
${foldRows}
${meanRow}</table>
<h2>Loss</h2><figure id="loss">${loss}</figure>
<h2>Metrics per epoch</h2>
${metricCharts.map((svg, i) => `<figure id="metric-${EPOCH_METRICS[i]![0]}">${svg}</figure>`).join('\n')}
<h2>Learning rate</h2><figure id="lr">${lr}</figure>
<h2>Confusion matrix</h2>
<p>Rows the true class, columns the prediction (argmax${o.multilabel ? '; per label, threshold 0.5' : ''}); counts of the held-out cases of all folds (${pooled.targets.length / (o.multilabel ? k : 1)}).</p>
${confusions.map((svg) => `<figure class="confusion">${svg}</figure>`).join('\n')}
<h2>ROC curves</h2>
<p>One-vs-rest, from the pooled held-out probabilities${!o.multilabel && k === 2 ? ` of class ${esc(o.classes[1]!)}` : ''}; the dashed line is chance.</p>
<figure id="roc">${roc}</figure>
<h2>Settings</h2><table>${Object.entries(o.settings).map(([key, v]) => `<tr><td>${esc(key)}</td><td>${esc(typeof v === 'string' ? v : JSON.stringify(v))}</td></tr>`).join('')}</table>
</body></html>
`;
  const page = join(dir, 'index.html');
  await writeFileAtomic(page, html);
  return page;
}
