import { type LabelledCase, noGrad, softmax, tensor } from '@openmind-ssl/core';
import type { ClassificationNetwork } from '../network/classification-network.js';

/**
 * Class probabilities of each case from an ensemble of fold networks, as the reference's inference.py:
 * the folds' logits are summed, then softmax (sigmoid for multi-label). Returns row-major [N, K].
 */
export async function ensembleProbabilities(networks: readonly ClassificationNetwork[], cases: readonly LabelledCase[], multilabel: boolean): Promise<Float32Array> {
  const k = networks[0]!.classes;
  const out = new Float32Array(cases.length * k);
  for (const net of networks) net.eval();
  for (const [i, c] of cases.entries()) {
    const x = tensor(c.image, [1, ...c.shape]);
    const p = noGrad(() => {
      let sum = networks[0]!.forward(x);
      for (const net of networks.slice(1)) sum = sum.add(net.forward(x));
      return multilabel ? sum.sigmoid() : softmax(sum, 1);
    });
    out.set(await p.floats(), i * k);
    p.dispose();
    x.dispose();
  }
  return out;
}

/** A CSV of class probabilities per case: `case,<class 1>,<class 2>,…`. */
export function probabilitiesCsv(caseIds: readonly string[], classes: readonly string[], probs: ArrayLike<number>): string {
  const k = classes.length;
  const rows = caseIds.map((id, i) => [id, ...Array.from({ length: k }, (_, c) => String(probs[i * k + c]))].join(','));
  return [['case', ...classes].join(','), ...rows].join('\n') + '\n';
}
