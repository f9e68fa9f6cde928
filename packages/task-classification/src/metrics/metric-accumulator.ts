import { noGrad, softmax, type Tensor, type TaskMetrics } from '@openmind-ssl/core';
import { type ClassificationMetricValues, multiclassMetrics, multilabelMetrics } from './classification-metrics.js';

/**
 * Collects a whole evaluation's probabilities (softmax, or sigmoid for multi-label) and targets and
 * computes the metrics once at the end, as the reference's epoch-wise torchmetrics states do.
 */
export class ClassificationMetrics implements TaskMetrics {
  private readonly probs: number[] = [];
  private readonly targets: number[] = [];

  constructor(readonly classes: number, readonly multilabel: boolean) {}

  /** Adds a batch: logits [N, K] and targets [N] (class indices) or [N, K] (0/1, multi-label). */
  async update(output: Tensor, target: Tensor): Promise<void> {
    const p = noGrad(() => (this.multilabel ? output.sigmoid() : softmax(output, 1)));
    this.addProbabilities(await p.floats(), await target.data());
    p.dispose();
  }

  /** Adds host probabilities [N, K] and targets. */
  addProbabilities(probs: ArrayLike<number>, targets: ArrayLike<number>): void {
    for (let i = 0; i < probs.length; i++) this.probs.push(probs[i]!);
    for (let i = 0; i < targets.length; i++) this.targets.push(Number(targets[i]!));
  }

  /** Probabilities [N, K] and targets collected so far. */
  collected(): { probs: Float64Array; targets: Int32Array } {
    return { probs: Float64Array.from(this.probs), targets: Int32Array.from(this.targets) };
  }

  /** Every metric including the confusion matrix. */
  values(): ClassificationMetricValues {
    const { probs, targets } = this.collected();
    return this.multilabel ? multilabelMetrics(probs, targets, this.classes) : multiclassMetrics(probs, targets, this.classes);
  }

  compute(): Record<string, number> {
    const { confusion: _confusion, ...scalars } = this.values();
    return { ...scalars };
  }
}
