import {
  type Augmentation, AdamW, loraParameters, applyGroupSchedule, type GroupSchedule, type LabelledCase, noGrad, OpenMindError, type Rng, type Tensor, tensor,
} from '@openmind-ssl/core';
import type { ClassificationNetwork } from '../network/classification-network.js';
import { ClassificationMetrics } from '../metrics/metric-accumulator.js';
import type { ClassificationMetricValues } from '../metrics/classification-metrics.js';
import { augmentCase } from '../augment/classification-augmentation.js';
import { classificationLoss } from './losses.js';
import { fullSchedule, linearProbeSchedule, loraSchedule, sawtoothSchedule } from './lr-schedule.js';

/**
 * What is trained: everything, only the head, the head first and then everything (the reference's
 * full_sawtooth), or the head and low-rank adapters added to the encoder (LoRA; the network must carry
 * them, see core's addLoraAdapters).
 */
export type FineTuneMode = 'full' | 'linear-probe' | 'sawtooth' | 'lora';

/** Options of {@link fineTuneClassifier}; defaults are the reference's (finetune-spec §2.3–2.4). */
export interface FineTuneOptions {
  network: ClassificationNetwork;
  train: readonly LabelledCase[];
  val: readonly LabelledCase[];
  multilabel: boolean;
  mode: FineTuneMode;
  epochs: number;
  /** Linear warm-up epochs (reference 20; sawtooth: the head's warm-up, and as long again for both). */
  warmupEpochs: number;
  /** AdamW peak rate (reference 1e-4) and decoupled weight decay (1e-2). */
  lr: number;
  weightDecay: number;
  batchSize: number;
  /** Micro-batches whose gradients are summed before one optimizer step (reference 48 for ABIDE). */
  accumulate: number;
  /** Cross-entropy label smoothing (reference 0.2 for ABIDE, else 0). */
  labelSmoothing: number;
  rng: Rng;
  /**
   * Applied to every training case each time it is drawn (a copy; the case is not changed), e.g.
   * {@link classificationTrainingAugmentation}; none trains on the preprocessed crops as they are.
   */
  augmentation?: Augmentation;
  /** Called after each epoch's validation. */
  onEpoch?: (record: EpochRecord) => void;
}

/** One epoch of a fine-tuning run. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  lr: Record<string, number>;
  val: ClassificationMetricValues;
}

/** The group schedule of a mode, over `epochs`. */
export function scheduleFor(mode: FineTuneMode, lr: number, warmupEpochs: number, epochs: number): GroupSchedule {
  if (mode === 'linear-probe') return linearProbeSchedule(lr, warmupEpochs, epochs);
  if (mode === 'sawtooth') return sawtoothSchedule(lr, warmupEpochs, warmupEpochs, epochs);
  if (mode === 'lora') return loraSchedule(lr, warmupEpochs, epochs);
  return fullSchedule(lr, warmupEpochs, epochs);
}

/** Stacks cases into a batch: images [N, C, ...] and targets [N] int32 (or [N, K] float32 for multi-label). */
export function batchOf(cases: readonly LabelledCase[], multilabel: boolean): { x: Tensor; y: Tensor } {
  const shape = cases[0]!.shape;
  const size = cases[0]!.image.length;
  const images = new Float32Array(cases.length * size);
  cases.forEach((c, i) => {
    if (c.image.length !== size) throw new OpenMindError(`case '${c.id}': image of ${c.image.length} values, but the batch's first case has ${size}; crop every case to the same size.`);
    images.set(c.image, i * size);
  });
  const x = tensor(images, [cases.length, ...shape]);
  if (multilabel) {
    const k = cases[0]!.target.length;
    return { x, y: tensor(Float32Array.from(cases.flatMap((c) => [...c.target])), [cases.length, k]) };
  }
  return { x, y: tensor(Int32Array.from(cases, (c) => c.target[0]!), [cases.length], { dtype: 'int32' }) };
}

/** Probabilities and metrics of `cases` under the network in evaluation mode. */
export async function evaluateClassifier(network: ClassificationNetwork, cases: readonly LabelledCase[], multilabel: boolean, batchSize: number): Promise<ClassificationMetrics> {
  network.eval();
  const metrics = new ClassificationMetrics(network.classes, multilabel);
  for (let i = 0; i < cases.length; i += batchSize) {
    const { x, y } = batchOf(cases.slice(i, i + batchSize), multilabel);
    const logits = noGrad(() => network.forward(x));
    await metrics.update(logits, y);
    logits.dispose();
    x.dispose();
    y.dispose();
  }
  return metrics;
}

/**
 * Fine-tunes a classifier as the reference does: AdamW on the groups 'head' and 'encoder', the mode's
 * per-epoch schedule (set at the start of each epoch), one pass over the shuffled training cases per
 * epoch in optimizer steps of `accumulate` micro-batches of `batchSize`, and the metrics of the
 * validation cases after every epoch. A linear probe marks the encoder's parameters as not needing a
 * gradient, so they get none and the optimizer never holds them: they stay bit-identical.
 */
export async function fineTuneClassifier(o: FineTuneOptions): Promise<EpochRecord[]> {
  const { network } = o;
  const groups = network.parameterGroups();
  const probe = o.mode === 'linear-probe';
  const adapters = new Set(loraParameters(network));
  if (o.mode === 'lora' && adapters.size === 0) throw new OpenMindError("fine-tuning mode 'lora': the classifier has no adapters; add them with addLoraAdapters before training.");
  if (o.mode !== 'lora' && adapters.size > 0) throw new OpenMindError(`fine-tuning mode '${o.mode}': the classifier carries LoRA adapters; train it with mode 'lora'.`);
  // The encoder group: every encoder parameter, none (linear probe) or only the adapters (LoRA); the rest get no gradient.
  const trained = probe ? [] : o.mode === 'lora' ? groups.encoder.filter((p) => adapters.has(p)) : groups.encoder;
  const trainedSet = new Set(trained);
  for (const p of groups.encoder) p.requireGrad(trainedSet.has(p));
  const optimizer = new AdamW(
    probe ? [{ name: 'head', params: groups.head }] : [{ name: 'head', params: groups.head }, { name: 'encoder', params: trained }],
    { lr: o.lr, weightDecay: o.weightDecay },
  );
  const schedule = scheduleFor(o.mode, o.lr, o.warmupEpochs, o.epochs);
  const params = [...groups.head, ...trained];
  const engine = params[0]!.engine;
  const history: EpochRecord[] = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    applyGroupSchedule(schedule, optimizer, epoch);
    network.train();
    const order = o.rng.permutation(o.train.length);
    const perStep = o.batchSize * o.accumulate;
    let lossSum = 0;
    let steps = 0;
    for (let s = 0; s + o.batchSize <= order.length; s += perStep) {
      const micro: LabelledCase[][] = [];
      for (let m = s; m < Math.min(s + perStep, order.length) && m + o.batchSize <= order.length; m += o.batchSize) {
        micro.push(Array.from({ length: o.batchSize }, (_, j) => {
          const c = o.train[order[m + j]!]!;
          return o.augmentation ? augmentCase(c, o.augmentation, o.rng.fork()) : c;
        }));
      }
      const loss = engine.tidy(() => {
        let total: Tensor | undefined;
        for (const cases of micro) {
          const { x, y } = batchOf(cases, o.multilabel);
          // Each micro-batch's mean loss over `micro.length` summed: the gradient of the mean over the step.
          const l = classificationLoss(network.forward(x), y, o.multilabel, o.labelSmoothing).div(micro.length);
          l.backward();
          total = total ? total.add(l.detach()) : l.detach();
        }
        optimizer.step();
        optimizer.zeroGrad();
        return total!;
      });
      lossSum += await loss.item();
      loss.dispose();
      steps++;
    }
    const val = (await evaluateClassifier(network, o.val, o.multilabel, o.batchSize)).values();
    const record: EpochRecord = { epoch, trainLoss: lossSum / Math.max(1, steps), lr: Object.fromEntries(optimizer.groups.map((g) => [g.name, g.lr])), val };
    history.push(record);
    o.onEpoch?.(record);
  }
  return history;
}
