import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FoldResult, multiclassMetrics } from '@openmind-ssl/task-classification';
import { describe, expect, it } from 'vitest';
import { pooledValidation, rocSeries, writeClassificationReport } from '../src/report/classification-report.js';

/** A fold whose final network gave `probs` ([N, 3]) for cases with classes `targets`, and a 3-epoch history. */
function fold(index: number, ids: string[], probs: number[], targets: number[]): FoldResult {
  const final = multiclassMetrics(probs, targets, 3);
  const history = [0, 1, 2].map((epoch) => ({ epoch, trainLoss: 1.1 - 0.2 * epoch - 0.05 * index, lr: { head: 1e-4 * (epoch + 1) / 3, encoder: 1e-4 * (epoch + 1) / 3 }, val: { ...final, balancedAccuracy: 0.3 + 0.1 * epoch } }));
  return { fold: index, train: [], val: ids, final, history, validation: { caseIds: ids, probs: Float64Array.from(probs), targets: Int32Array.from(targets) } };
}

const classes = ['cn', 'mci', 'ad'];
// fold 0: a, b right; c (ad) predicted mci. fold 1: d right, e (mci) predicted cn, f right.
const folds = [
  fold(0, ['a', 'b', 'c'], [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.1, 0.5, 0.4], [0, 1, 2]),
  fold(1, ['d', 'e', 'f'], [0.6, 0.3, 0.1, 0.5, 0.4, 0.1, 0.2, 0.2, 0.6], [0, 1, 2]),
];

describe('classification report', () => {
  it('pools the folds\' held-out predictions into one confusion matrix: diagonal 2, 1, 1; mci→cn 1, ad→mci 1', () => {
    const pooled = pooledValidation(folds);
    expect([...pooled.targets]).toEqual([0, 1, 2, 0, 1, 2]);
    expect(multiclassMetrics(pooled.probs, pooled.targets, 3).confusion).toEqual([[2, 0, 0], [1, 1, 0], [0, 1, 1]]);
  });

  it('gives one one-vs-rest ROC curve per class (the positive class only for two), from (0, 0) to (1, 1), named with its AUC', () => {
    const pooled = pooledValidation(folds);
    const curves = rocSeries(classes, false, pooled);
    expect(curves.map((c) => c.name.split(' ')[0])).toEqual(classes);
    // cn scores 0.7, 0.1, 0.1, 0.6, 0.5, 0.2 for truth 1, 0, 0, 1, 0, 0: both positives rank above every negative.
    expect(curves[0]!.name).toBe('cn (AUC 1.000)');
    for (const c of curves) {
      expect([c.fpr[0], c.tpr[0]]).toEqual([0, 0]);
      expect([c.fpr.at(-1), c.tpr.at(-1)]).toEqual([1, 1]);
    }
    // 'yes' scores 0.6 (no), 0.4 and 0.8 (yes): one of the two positive–negative pairs is ordered right.
    const binary = rocSeries(['no', 'yes'], false, { probs: [0.4, 0.6, 0.6, 0.4, 0.2, 0.8], targets: [0, 1, 1] });
    expect(binary).toHaveLength(1);
    expect(binary[0]!.name).toBe('yes (AUC 0.500)');
  });

  it('writes one page with the metrics table, loss and per-epoch metric charts, the confusion matrix and ROC curves inline as SVG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-cls-report-'));
    const summary = { balancedAccuracy: { mean: 0.75, sd: 0.1 } };
    const page = await writeClassificationReport(dir, { title: 'cls run', settings: { finetune: 'full' }, classes, multilabel: false, folds, summary });
    expect(page).toBe(join(dir, 'report', 'index.html'));
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('<td><b>0.750 ± 0.100</b></td>');
    for (const id of ['loss', 'lr', 'roc', 'metric-balancedAccuracy', 'metric-balancedAccuracyReference', 'metric-aurocMacro', 'metric-averagePrecisionMacro', 'metric-f1Macro']) {
      expect(html, id).toMatch(new RegExp(`<figure id="${id}"><svg[^]*?</svg></figure>`));
    }
    // Nothing is loaded from elsewhere: the charts are in the page.
    expect(html).not.toMatch(/<img /);
    const confusion = /<figure class="confusion">([^]*?)<\/figure>/.exec(html)![1]!;
    for (const label of ['true cn', 'true ad', 'predicted mci']) expect(confusion).toContain(label);
    // Each cell is drawn with its count (the pooled matrix of the first test), read back from the cells' labels.
    const cells = [...confusion.matchAll(/aria-label="column: predicted (\w+); row: true (\w+); value: (\d+)"[^>]*>(\d+)<\/text>/g)];
    const drawn = Object.fromEntries(cells.map((m) => [`${m[2]}→${m[1]}`, Number(m[4])]));
    expect(drawn).toEqual({ 'cn→cn': 2, 'cn→mci': 0, 'cn→ad': 0, 'mci→cn': 1, 'mci→mci': 1, 'mci→ad': 0, 'ad→cn': 0, 'ad→mci': 1, 'ad→ad': 1 });
    const roc = /<figure id="roc">([^]*?)<\/figure>/.exec(html)![1]!;
    expect(roc).toContain('cn (AUC 1.000)');
    expect(roc).toContain('true-positive rate');
    // Two folds' training loss lines are named in the loss chart's legend.
    const loss = /<figure id="loss">([^]*?)<\/figure>/.exec(html)![1]!;
    expect(loss).toContain('fold 0');
    expect(loss).toContain('fold 1');
  });
});
