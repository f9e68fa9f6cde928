import { argMax, sum, type Tensor } from '@openmind-ssl/core';
import { oneHot } from '../loss/one-hot.js';

/** True positives, false positives and false negatives per foreground class, summed over batches. */
export interface DiceCounts {
  tp: Float64Array;
  fp: Float64Array;
  fn: Float64Array;
}

/** Empty counts for `classes` network outputs (background included; it is not counted). */
export function emptyCounts(classes: number): DiceCounts {
  return { tp: new Float64Array(classes - 1), fp: new Float64Array(classes - 1), fn: new Float64Array(classes - 1) };
}

/**
 * Adds one validation batch to the counts as nnU-Net's validation_step does: prediction = argmax over
 * classes, one-hot; tp/fp/fn per class summed over batch and space, ignored voxels excluded, background
 * dropped.
 * @param logits [B, C, …] float32
 * @param target [B, 1, …] int32
 */
export async function addDiceCounts(counts: DiceCounts, logits: Tensor, target: Tensor, ignoreLabel: number | null): Promise<void> {
  const classes = logits.shape[1]!;
  const engine = logits.engine;
  const [tp, fp, fn] = engine.noGrad(() => engine.tidy(() => {
    const pred = oneHot(argMax(logits, 1, true).cast('int32'), classes);
    let truth = oneHot(target, classes);
    let predicted = pred;
    if (ignoreLabel !== null) {
      const keep = target.equal(ignoreLabel).cast('float32').neg().add(1);
      truth = truth.mul(keep);
      predicted = pred.mul(keep);
    }
    const axes = [0, ...logits.shape.slice(2).map((_, i) => i + 2)];
    const t = sum(predicted.mul(truth), axes);
    return [t.keep(), sum(predicted, axes).sub(t).keep(), sum(truth, axes).sub(t).keep()] as Tensor[];
  }));
  const read = async (x: Tensor) => {
    const v = await x.data();
    x.dispose();
    return v;
  };
  const [a, b, c] = [await read(tp!), await read(fp!), await read(fn!)];
  for (let k = 1; k < classes; k++) {
    counts.tp[k - 1]! += a[k]!;
    counts.fp[k - 1]! += b[k]!;
    counts.fn[k - 1]! += c[k]!;
  }
}

/** Dice per foreground class, 2tp / (2tp + fp + fn), NaN for a class never predicted nor present. */
export function pseudoDice(counts: DiceCounts): number[] {
  return Array.from(counts.tp, (tp, i) => {
    const denom = 2 * tp + counts.fp[i]! + counts.fn[i]!;
    return denom === 0 ? NaN : (2 * tp) / denom;
  });
}

/** Mean over the classes that are not NaN (numpy's nanmean); NaN when all are. */
export function nanMean(values: readonly number[]): number {
  const ok = values.filter((v) => !Number.isNaN(v));
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
}

/**
 * nnU-Net's EMA of the mean foreground pseudo-Dice: 0.9·previous + 0.1·new, the first epoch taking the
 * value. An epoch whose pseudo-Dice is NaN (no foreground predicted or present in any validation batch)
 * leaves the EMA as it was, where nnU-Net would make it NaN for the rest of the run.
 */
export function updateEma(previous: number | undefined, value: number): number | undefined {
  if (Number.isNaN(value)) return previous;
  return previous === undefined || Number.isNaN(previous) ? value : 0.9 * previous + 0.1 * value;
}
