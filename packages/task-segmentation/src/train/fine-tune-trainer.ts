import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Architecture, clipGradNorm, OpenMindError, PhaseController, readCheckpoint, removeStaleTemporaries, restoreCheckpoint, type TrainingRecipe, writeFileAtomic,
} from '@openmind-ssl/core';
import type { SegmentationBatch, SegmentationPlan } from '../contract.js';
import type { RawCaseFiles } from '../dataset/open-dataset.js';
import type { EvaluationSummary } from '../evaluation/evaluate-folder.js';
import { finalValidation } from '../evaluation/final-validation.js';
import { addDiceCounts, emptyCounts, nanMean, pseudoDice, updateEma } from './pseudo-dice.js';
import { forwardBatch, segmentationLoss } from './segmentation-loss.js';
import { CHECKPOINT_BEST, CHECKPOINT_FINAL, CHECKPOINT_LATEST, saveSegmentationModel, type SegmentationModelConfig } from './segmentation-model.js';

/** Where batches come from: an iterator positioned at a global index, so a resumed run sees the same data. */
export interface SegmentationBatchSource {
  batches(from: number): AsyncIterator<SegmentationBatch>;
}

/** One line of training_log.jsonl: an epoch's results. */
export interface EpochRecord {
  epoch: number;
  /** Global steps completed at the end of the epoch. */
  step: number;
  trainLoss: number;
  valLoss: number | null;
  /** Online pseudo-Dice per foreground class (label names), null where NaN. */
  pseudoDice: Record<string, number | null>;
  meanPseudoDice: number | null;
  emaPseudoDice: number | null;
  /** Learning rate per parameter group (0 for a group outside the current optimizer). */
  lr: Record<string, number>;
  phase: string;
  /** A new best EMA pseudo-Dice: checkpoint_best was written. */
  best: boolean;
}

/** What the fine-tuning trainer reports while it runs. */
export type FineTuneEvent =
  | { type: 'start'; step: number; totalSteps: number; resumedFrom?: string }
  | { type: 'step'; epoch: number; step: number; totalSteps: number; loss: number; lr: number }
  | { type: 'epoch'; record: EpochRecord }
  | { type: 'validation'; summary: EvaluationSummary }
  | { type: 'done'; step: number };

export interface FineTuneOptions {
  plan: SegmentationPlan;
  network: Architecture;
  /** The network emits every decoder resolution (from-scratch runs), and the loss is deep-supervised. */
  deepSupervision: boolean;
  /** A schedule's recipe (see fineTuneRecipe): optimizer, phases, per-group rates, gradient clip. */
  recipe: TrainingRecipe;
  train: SegmentationBatchSource;
  val?: SegmentationBatchSource;
  epochs: number;
  /** nnU-Net: 250. */
  iterationsPerEpoch: number;
  /** nnU-Net: 50. */
  valIterations: number;
  runDir: string;
  seed: number;
  /** Also write checkpoint_latest every this many steps (always at the end of each epoch). */
  checkpointEvery?: number;
  /** Saved in every checkpoint beside the plan (schedule, data, …). */
  config?: Record<string, unknown>;
  onEvent?: (e: FineTuneEvent) => void;
  /**
   * nnU-Net's final validation after the last epoch: these cases (the fold's validation cases, raw files)
   * are predicted at full size into `validation/` and scored into `validation/summary.json`.
   */
  finalValidation?: { cases: readonly RawCaseFiles[]; mirroring?: boolean };
}

export const TRAINING_LOG = 'training_log.jsonl';

/**
 * nnU-Net's fine-tuning loop on core's pieces: epochs of `iterationsPerEpoch` steps (Dice + CE, deep
 * supervision when on, the recipe's gradient clip and phases: optimizer resets, frozen parameters,
 * per-group rates set at each epoch start), then `valIterations` validation batches giving the loss and
 * the online pseudo-Dice per class, its EMA (0.9/0.1), checkpoint_best on a new best EMA,
 * training_log.jsonl; checkpoint_latest (atomic) at each epoch end and every `checkpointEvery` steps, so
 * a killed run resumes at the step it saved with the same curve; checkpoint_final at the end (latest is
 * then removed, as nnU-Net does).
 */
export class FineTuneTrainer {
  constructor(private readonly o: FineTuneOptions) {
    if (o.epochs < 1 || o.iterationsPerEpoch < 1) throw new RangeError('fine-tuning: epochs and iterationsPerEpoch must be ≥ 1.');
  }

  private modelConfig(): SegmentationModelConfig {
    return { ...this.o.config, segmentationPlan: this.o.plan, deepSupervision: this.o.deepSupervision };
  }

  async run(options: { resume?: boolean } = {}): Promise<{ step: number; log: EpochRecord[]; validation?: EvaluationSummary }> {
    const phases = new PhaseController(this.o.recipe);
    try {
      return await this.loop(phases, options.resume ?? false);
    } finally {
      phases.release();
    }
  }

  private async loop(phases: PhaseController, resume: boolean): Promise<{ step: number; log: EpochRecord[]; validation?: EvaluationSummary }> {
    const o = this.o;
    const total = o.epochs * o.iterationsPerEpoch;
    const logPath = join(o.runDir, TRAINING_LOG);
    await mkdir(o.runDir, { recursive: true });
    // A run killed mid-save left its temporaries (a checkpoint folder, a log or plan file).
    await removeStaleTemporaries(o.runDir);
    await writeFileAtomic(join(o.runDir, 'plan.json'), `${JSON.stringify(o.plan, null, 2)}\n`);
    let step = 0;
    let ema: number | undefined;
    let bestEma = -Infinity;
    let epochLosses: number[] = [];
    let resumedFrom: string | undefined;
    if (resume) {
      const dir = await this.resumeDir();
      if (dir) {
        const ckpt = await readCheckpoint(dir);
        step = ckpt.state.step;
        if (step > 0) phases.advanceTo(Math.floor((step - 1) / o.iterationsPerEpoch));
        if (ckpt.state.phase !== undefined && ckpt.state.phase !== phases.phase.name) {
          throw new OpenMindError(`${dir}: saved in phase '${ckpt.state.phase}', but step ${step} lies in phase '${phases.phase.name}' of this schedule; resume with the same --schedule and --epochs.`);
        }
        restoreCheckpoint(ckpt, o.network, dir.endsWith(CHECKPOINT_FINAL) ? undefined : phases.optimizer);
        const m = ckpt.state.metrics;
        ema = m['ema']?.[0];
        bestEma = m['bestEma']?.[0] ?? -Infinity;
        epochLosses = [...(m['epochLosses'] ?? [])];
        resumedFrom = dir;
      }
    }
    const log = await this.readLog(logPath, resume ? step : 0);
    await writeFileAtomic(logPath, log.map((r) => `${JSON.stringify(r)}\n`).join(''));
    o.onEvent?.({ type: 'start', step, totalSteps: total, ...(resumedFrom ? { resumedFrom } : {}) });
    const params = o.network.parameters();
    const batches = o.train.batches(step);
    const state = () => ({
      ema: ema === undefined ? [] : [ema], bestEma: Number.isFinite(bestEma) ? [bestEma] : [], epochLosses,
    });
    try {
      while (step < total) {
        const epoch = Math.floor(step / o.iterationsPerEpoch);
        o.network.train();
        phases.advanceTo(epoch);
        phases.setLr(epoch);
        for (let it = step % o.iterationsPerEpoch; it < o.iterationsPerEpoch; it++) {
          const next = await batches.next();
          if (next.done) throw new OpenMindError('fine-tuning: the training batch source ended early.');
          const loss = await this.step(phases, next.value, params);
          step++;
          if (Number.isFinite(loss)) epochLosses.push(loss);
          o.onEvent?.({ type: 'step', epoch, step, totalSteps: total, loss, lr: phases.optimizer.groups.at(-1)?.lr ?? 0 });
          const endOfEpoch = it === o.iterationsPerEpoch - 1;
          if (endOfEpoch) {
            const record = await this.endEpoch(epoch, step, epochLosses, phases, ema, bestEma);
            ema = record.emaPseudoDice ?? ema;
            if (record.best) bestEma = record.emaPseudoDice!;
            epochLosses = [];
            log.push(record);
            await appendFile(logPath, `${JSON.stringify(record)}\n`);
            o.onEvent?.({ type: 'epoch', record });
          }
          if (endOfEpoch || (o.checkpointEvery && step % o.checkpointEvery === 0)) {
            await saveSegmentationModel(join(o.runDir, CHECKPOINT_LATEST), o.network, this.modelConfig(), {
              epoch: Math.floor(step / o.iterationsPerEpoch), step, phase: phases.phase.name, rng: { seed: o.seed, step }, metrics: state(),
            }, phases.optimizer);
          }
        }
      }
    } finally {
      await batches.return?.();
    }
    await saveSegmentationModel(join(o.runDir, CHECKPOINT_FINAL), o.network, this.modelConfig(), {
      epoch: o.epochs, step, phase: phases.phase.name, rng: { seed: o.seed, step }, metrics: state(),
    });
    await rm(join(o.runDir, CHECKPOINT_LATEST), { recursive: true, force: true });
    let validation: EvaluationSummary | undefined;
    if (o.finalValidation) {
      o.network.eval();
      validation = await finalValidation({
        runDir: o.runDir, plan: o.plan, network: (x) => o.network.forward(x), cases: o.finalValidation.cases,
        ...(o.finalValidation.mirroring === undefined ? {} : { mirroring: o.finalValidation.mirroring }),
      });
      o.onEvent?.({ type: 'validation', summary: validation });
    }
    o.onEvent?.({ type: 'done', step });
    return { step, log, ...(validation ? { validation } : {}) };
  }

  /** checkpoint_latest, or checkpoint_final of a finished run (resuming it does nothing). */
  private async resumeDir(): Promise<string | undefined> {
    for (const name of [CHECKPOINT_LATEST, CHECKPOINT_FINAL]) {
      const dir = join(this.o.runDir, name);
      const text = await readFile(join(dir, 'checkpoint.json'), 'utf8').catch(() => undefined);
      if (text !== undefined) return dir;
    }
    return undefined;
  }

  /** One optimisation step; the update is dropped (inside the step, without a read) when the loss is not finite. */
  private async step(phases: PhaseController, batch: SegmentationBatch, params: ReturnType<Architecture['parameters']>): Promise<number> {
    const engine = params[0]!.engine;
    const optimizer = phases.optimizer;
    const clip = this.o.recipe.gradClip;
    const loss = engine.tidy(() => {
      const l = engine.tidy(() => {
        const full = segmentationLoss(forwardBatch(this.o.network, batch, this.o.deepSupervision), this.o.plan);
        full.backward();
        return full.detach();
      });
      if (clip !== undefined) clipGradNorm(params.filter((p) => p.requiresGrad), clip)?.dispose();
      optimizer.step({ applyIf: l.sub(l).equal(0) });
      optimizer.zeroGrad();
      return l;
    });
    const value = await loss.item();
    loss.dispose();
    return value;
  }

  private async endEpoch(
    epoch: number, step: number, losses: number[], phases: PhaseController, ema: number | undefined, bestEma: number,
  ): Promise<EpochRecord> {
    const o = this.o;
    const trainLoss = losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length : NaN;
    const lr: Record<string, number> = { encoder: 0, decoder: 0 };
    for (const g of phases.optimizer.groups) lr[g.name] = g.lr;
    const names = Object.entries(o.plan.labels).filter(([, v]) => v !== 0 && v !== o.plan.ignoreLabel).sort((a, b) => a[1] - b[1]).map(([k]) => k);
    let valLoss: number | null = null;
    let dice: number[] = names.map(() => NaN);
    if (o.val && o.valIterations > 0) {
      o.network.eval();
      const engine = o.network.parameters()[0]!.engine;
      const counts = emptyCounts(o.plan.numClasses);
      const it = o.val.batches(epoch * o.valIterations);
      let sum = 0;
      let n = 0;
      try {
        for (let i = 0; i < o.valIterations; i++) {
          const b = await it.next();
          if (b.done) break;
          const { loss, logits, target } = engine.noGrad(() => engine.tidy(() => {
            const f = forwardBatch(o.network, b.value, o.deepSupervision);
            return { loss: segmentationLoss(f, o.plan).keep(), logits: f.outputs[0]!.keep(), target: f.targets[0]!.keep() };
          }));
          sum += await loss.item();
          n++;
          await addDiceCounts(counts, logits, target, o.plan.ignoreLabel);
          loss.dispose();
          logits.dispose();
          target.dispose();
        }
      } finally {
        await it.return?.();
      }
      o.network.train();
      valLoss = n ? sum / n : null;
      dice = pseudoDice(counts);
    }
    const mean = nanMean(dice);
    const newEma = updateEma(ema, mean);
    const best = newEma !== undefined && newEma > bestEma;
    if (best) {
      await saveSegmentationModel(join(o.runDir, CHECKPOINT_BEST), o.network, this.modelConfig(), {
        epoch: epoch + 1, step, phase: phases.phase.name, rng: { seed: o.seed, step }, metrics: { ema: [newEma] },
      });
    }
    const finite = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? null : v);
    return {
      epoch, step, trainLoss, valLoss,
      pseudoDice: Object.fromEntries(names.map((k, i) => [k, finite(dice[i])])),
      meanPseudoDice: finite(mean), emaPseudoDice: finite(newEma), lr, phase: phases.phase.name, best,
    };
  }

  /** The log lines of epochs completed by `step` (later lines came from a run killed after its last checkpoint). */
  private async readLog(path: string, step: number): Promise<EpochRecord[]> {
    const text = await readFile(path, 'utf8').catch(() => '');
    return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EpochRecord).filter((r) => r.step <= step);
  }
}
