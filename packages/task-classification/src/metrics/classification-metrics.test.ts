import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requirePython, runPython } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { averagePrecision, rocAuc } from './binary-curves.js';
import { multiclassMetrics, multilabelMetrics } from './classification-metrics.js';

interface Fixture {
  name: string; k: number; probs: number[]; targets: number[];
  balanced_accuracy: number; f1_macro: number; average_precision_macro: number; auroc_macro: number; confusion: number[][];
}
const script = fileURLToPath(new URL('../../test/fixtures/make_metrics.py', import.meta.url));
const committed = JSON.parse(readFileSync(fileURLToPath(new URL('../../test/fixtures/metrics.json', import.meta.url)), 'utf8')) as Fixture[];

describe('classification metrics equal scikit-learn (committed values of test/fixtures/make_metrics.py)', () => {
  for (const f of committed) {
    it(`${f.name}: balanced accuracy, macro AUROC (ovr), macro AP, macro F1, confusion matrix to 1e-12`, () => {
      const m = multiclassMetrics(f.probs, f.targets, f.k);
      expect(m.balancedAccuracy).toBeCloseTo(f.balanced_accuracy, 12);
      expect(m.aurocMacro).toBeCloseTo(f.auroc_macro, 12);
      expect(m.averagePrecisionMacro).toBeCloseTo(f.average_precision_macro, 12);
      expect(m.f1Macro).toBeCloseTo(f.f1_macro, 12);
      expect(m.confusion).toEqual(f.confusion);
    });
  }
});

describe.runIf(requirePython(['sklearn', 'numpy']))('the committed scikit-learn values are current', () => {
  it('rerunning make_metrics.py gives the committed metrics.json', () => {
    const live = JSON.parse(runPython([script])) as Fixture[];
    expect(live).toEqual(committed);
  });
});

describe("the reference's balanced accuracy", () => {
  // y = [0,0,0,1,1,2], predicted [0,0,1,1,2,2]. Per class (recall, specificity): 0: (2/3, 3/3), 1: (1/2, 3/4), 2: (1/1, 4/5).
  const targets = [0, 0, 0, 1, 1, 2];
  const predicted = [0, 0, 1, 1, 2, 2];
  const probs = predicted.flatMap((p) => [0, 1, 2].map((c) => (c === p ? 0.8 : 0.1)));
  it('is the mean of (recall + specificity) / 2 per class on a 3-class example, unlike scikit-learn\'s mean recall', () => {
    const m = multiclassMetrics(probs, targets, 3);
    const expected = ((2 / 3 + 1) / 2 + (1 / 2 + 3 / 4) / 2 + (1 + 4 / 5) / 2) / 3; // 0.786111…
    expect(m.balancedAccuracyReference).toBeCloseTo(expected, 7); // the 1e-8 in the denominators moves it by < 1e-8
    expect(m.balancedAccuracy).toBeCloseTo((2 / 3 + 1 / 2 + 1) / 3, 12); // 0.722…
    expect(m.balancedAccuracyReference - m.balancedAccuracy).toBeGreaterThan(0.06);
  });
  it('equals the standard balanced accuracy for two classes', () => {
    const f = committed.find((c) => c.k === 2)!;
    const m = multiclassMetrics(f.probs, f.targets, 2);
    expect(m.balancedAccuracyReference).toBeCloseTo(f.balanced_accuracy, 7);
  });
});

describe('binary curves', () => {
  it('count tied scores one half in the AUROC and step once per distinct threshold in AP', () => {
    expect(rocAuc([1, 0], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([1, 1, 0], [0.9, 0.2, 0.5])).toBe(0.5);
    // thresholds 0.9 (1 tp of 2 → P 1), 0.5 (tie of a positive and a negative: R 1, P 2/3)
    expect(averagePrecision([1, 1, 0], [0.9, 0.5, 0.5])).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 12);
    expect(rocAuc([1, 1], [0.3, 0.4])).toBeNaN();
  });
  it('multi-label metrics threshold each label at 0.5', () => {
    const m = multilabelMetrics([0.9, 0.2, 0.4, 0.7], [1, 0, 1, 1], 2);
    // label 0: truth [1,1], predicted [1,0] → tp 1, fn 1; label 1: truth [0,1], predicted [0,1] → all right
    expect(m.confusion).toEqual([[0, 0], [1, 1], [1, 0], [0, 1]]);
    expect(m.accuracy).toBe(0.75);
  });
});
