import { appendFile, mkdir, readFile, rm, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkpointName, latestCheckpoint, readCheckpoint, restoreCheckpoint, saveCheckpoint,
} from '../checkpoint/checkpoint.js';
import { writeFileAtomic } from '../checkpoint/atomic-write.js';
import { OpenMindError } from '../errors/openmind-error.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { HostBatch, SSLMethod, TrainingRecipe } from '../plugins/ssl-method.js';
import { Rng } from '../random/rng.js';
import type { TrainerEvent, TrainerListener } from './events.js';
import { PhaseController } from './phase-controller.js';
import type { UpdateContext } from './training-phase.js';
import { trainingStep, type StepRecipe } from './training-step.js';

/** Where batches come from: an iterator positioned at a global step, so a resumed run sees the same data. */
export interface BatchSource {
  batches(fromStep: number): AsyncIterator<HostBatch>;
}

export interface TrainerOptions {
  method: SSLMethod;
  train: BatchSource;
  /** Validation batches (optional); run under no-grad after each epoch. */
  val?: BatchSource;
  epochs: number;
  iterationsPerEpoch: number;
  valIterations?: number;
  /** Run folder: checkpoints/, metrics.jsonl. */
  runDir: string;
  seed: number;
  /** Save every N steps (and always at the end). Default: once per epoch. */
  checkpointEvery?: number;
  /** How many step checkpoints to keep (older ones are deleted). Default 2. */
  keepCheckpoints?: number;
  /** Abort after more than this many non-finite losses in one epoch (nnssl: 20). */
  maxNanPerEpoch?: number;
  /** Saved in every checkpoint. */
  config?: Record<string, unknown>;
  /** How the optimizer update is evaluated: chunk bytes, 'off' or 'auto' (default; see TrainingStepOptions). */
  updateChunkBytes?: number | 'auto' | 'off';
  onEvent?: TrainerListener;
}

/**
 * The generic training loop: epochs × iterations, the recipe's phases (optimizer, per-group LR schedules
 * per epoch or step, frozen parameters), gradient clipping, the afterUpdate hook, non-finite loss
 * detection (the update of that step is discarded inside the step, without an extra read), validation,
 * checkpoints, metrics.jsonl, and exact resume from the latest checkpoint — inside a phase or across a
 * phase boundary.
 */
export class Trainer {
  private readonly recipe: TrainingRecipe;
  private phases: PhaseController | undefined;
  private readonly listeners: TrainerListener[] = [];
  private metrics: Record<string, number[]> = { trainLoss: [], valLoss: [], lr: [] };

  constructor(private readonly o: TrainerOptions) {
    if (o.epochs < 1 || o.iterationsPerEpoch < 1) throw new OpenMindError('trainer: epochs and iterationsPerEpoch must be ≥ 1');
    this.recipe = o.method.recipe({ epochs: o.epochs, iterationsPerEpoch: o.iterationsPerEpoch });
    if (o.onEvent) this.listeners.push(o.onEvent);
  }

  private emit(e: TrainerEvent): void {
    for (const l of this.listeners) l(e);
  }

  get checkpointsDir(): string {
    return join(this.o.runDir, 'checkpoints');
  }

  /**
   * Runs to the end; with `resume`, continues from the latest checkpoint of the run folder. Parameters
   * the recipe's phases froze get their requiresGrad back when it returns or throws.
   */
  async run(options: { resume?: boolean } = {}): Promise<{ step: number; metrics: Record<string, number[]> }> {
    const phases = new PhaseController(this.recipe);
    this.phases = phases;
    try {
      return await this.runPhases(phases, options);
    } finally {
      phases.release();
    }
  }

  private async runPhases(phases: PhaseController, options: { resume?: boolean }): Promise<{ step: number; metrics: Record<string, number[]> }> {
    const o = this.o;
    const net = o.method.network;
    const { scheduleUnit } = this.recipe;
    const params = net.parameters();
    const stepOptions = o.updateChunkBytes !== undefined ? { updateChunkBytes: o.updateChunkBytes } : {};
    const totalSteps = o.epochs * o.iterationsPerEpoch;
    await mkdir(o.runDir, { recursive: true });
    let step = 0;
    let resumedFrom: string | undefined;
    // Losses already logged in the epoch a resumed run re-enters, so its epoch mean covers the whole epoch.
    let carried: LoggedStep[] = [];
    if (options.resume) {
      const dir = await latestCheckpoint(this.checkpointsDir);
      if (dir) {
        const ckpt = await readCheckpoint(dir);
        step = ckpt.state.step;
        // The optimizer state belongs to the phase of the last completed step.
        if (step > 0) phases.advanceTo(Math.floor((step - 1) / o.iterationsPerEpoch));
        const saved = ckpt.state.phase;
        if (saved !== undefined && saved !== phases.phase.name) {
          throw new OpenMindError(
            `${dir}: the checkpoint was saved in phase '${saved}', but step ${step} lies in phase '${phases.phase.name}' of this recipe`,
          );
        }
        restoreCheckpoint(ckpt, net, phases.optimizer);
        this.metrics = { trainLoss: [], valLoss: [], lr: [], ...ckpt.state.metrics };
        resumedFrom = dir;
      }
      carried = (await this.truncateMetricsLog(step)).filter((l) => l.epoch === Math.floor(step / o.iterationsPerEpoch));
    } else {
      await rm(join(o.runDir, 'metrics.jsonl'), { force: true });
    }
    const started = Date.now();
    this.emit({ type: 'start', epoch: Math.floor(step / o.iterationsPerEpoch), step, totalSteps, ...(resumedFrom ? { resumedFrom } : {}) });
    const batches = o.train.batches(step);
    const checkpointEvery = o.checkpointEvery ?? o.iterationsPerEpoch;
    let rateWindow = { t: Date.now(), step };
    while (step < totalSteps) {
      const epoch = Math.floor(step / o.iterationsPerEpoch);
      const epochStart = Date.now();
      const losses = carried.flatMap((l) => (typeof l.loss === 'number' && Number.isFinite(l.loss) ? [l.loss] : []));
      let nanCount = carried.length - losses.length;
      carried = [];
      net.train();
      for (const { phase, fresh } of phases.advanceTo(epoch)) {
        this.emit({ type: 'phase', epoch, step, name: phase.name, optimizer: fresh ? 'fresh' : 'kept' });
      }
      for (let it = step % o.iterationsPerEpoch; it < o.iterationsPerEpoch; it++) {
        phases.setLr(scheduleUnit === 'epoch' ? epoch : step);
        const next = await batches.next();
        if (next.done) throw new OpenMindError('trainer: the batch source ended early');
        const loss = await trainingStep(
          o.method,
          this.stepRecipe(phases.optimizer),
          next.value,
          new Rng([o.seed, step, 0x5eed, 1]),
          params,
          { ...stepOptions, step, epoch },
        );
        step++;
        if (!Number.isFinite(loss)) {
          nanCount++;
          this.emit({ type: 'nan', epoch, step, countThisEpoch: nanCount });
          if (nanCount > (o.maxNanPerEpoch ?? 20)) {
            throw new OpenMindError(`trainer: more than ${o.maxNanPerEpoch ?? 20} non-finite losses in epoch ${epoch}; stopping (lower the learning rate?)`);
          }
        } else losses.push(loss);
        const lr = phases.optimizer.groups[0]?.lr ?? 0;
        const now = Date.now();
        const rate = (step - rateWindow.step) / Math.max(1e-3, (now - rateWindow.t) / 1000);
        if (now - rateWindow.t > 5000) rateWindow = { t: now, step };
        await appendFile(join(o.runDir, 'metrics.jsonl'), `${JSON.stringify({ epoch, step, loss, lr })}\n`);
        this.emit({ type: 'step', epoch, iteration: it, step, totalSteps, loss, lr, stepsPerSecond: rate });
        const endOfEpoch = it === o.iterationsPerEpoch - 1;
        if (endOfEpoch) await this.endEpoch(epoch, losses, epochStart);
        if (step % checkpointEvery === 0 || step === totalSteps) await this.checkpoint(step, epoch + (endOfEpoch ? 1 : 0));
      }
    }
    await batches.return?.();
    this.emit({ type: 'done', step, epochs: o.epochs, seconds: (Date.now() - started) / 1000 });
    return { step, metrics: this.metrics };
  }

  /** What one step needs of the recipe, with the current phase's optimizer (hooks stay bound to the recipe). */
  private stepRecipe(optimizer: Optimizer): StepRecipe {
    const r = this.recipe;
    return {
      optimizer,
      ...(r.gradClip !== undefined ? { gradClip: r.gradClip } : {}),
      ...(r.afterUpdate ? { afterUpdate: (u: UpdateContext) => r.afterUpdate!(u) } : {}),
    };
  }

  private async endEpoch(epoch: number, losses: number[], epochStart: number): Promise<void> {
    const o = this.o;
    const trainLoss = losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length : NaN;
    let valLoss: number | undefined;
    if (o.val && (o.valIterations ?? 0) > 0) {
      const net = o.method.network;
      net.eval();
      const it = o.val.batches(epoch * (o.valIterations ?? 0));
      const vals: number[] = [];
      for (let i = 0; i < o.valIterations!; i++) {
        const b = await it.next();
        if (b.done) break;
        const engine = net.parameters()[0]!.engine;
        const l = engine.noGrad(() => engine.tidy(() => o.method.loss(b.value, new Rng([o.seed, epoch, i, 0x7a1]))));
        vals.push(await l.item());
        l.dispose();
      }
      await it.return?.();
      net.train();
      valLoss = vals.reduce((a, b) => a + b, 0) / Math.max(1, vals.length);
    }
    const lr = this.phases?.optimizer.groups[0]?.lr ?? 0;
    this.metrics.trainLoss!.push(trainLoss);
    this.metrics.lr!.push(lr);
    if (valLoss !== undefined) this.metrics.valLoss!.push(valLoss);
    this.emit({ type: 'epoch', epoch, trainLoss, lr, seconds: (Date.now() - epochStart) / 1000, ...(valLoss !== undefined ? { valLoss } : {}) });
  }

  private async checkpoint(step: number, epoch: number): Promise<void> {
    const dir = join(this.checkpointsDir, checkpointName(step));
    await saveCheckpoint(dir, this.o.method.network, this.phases?.optimizer, {
      epoch,
      step,
      ...(this.phases ? { phase: this.phases.phase.name } : {}),
      rng: { seed: this.o.seed, step },
      config: this.o.config ?? {},
      adaptationPlan: this.o.method.adaptationPlan(),
      metrics: this.metrics,
    });
    await writeFileAtomic(join(this.o.runDir, 'adaptation_plan.json'), JSON.stringify(this.o.method.adaptationPlan(), null, 2));
    this.emit({ type: 'checkpoint', step, dir });
    await this.pruneCheckpoints();
  }

  private async pruneCheckpoints(): Promise<void> {
    const keep = this.o.keepCheckpoints ?? 2;
    const names = (await readdir(this.checkpointsDir)).filter((n) => /^step-\d+$/.test(n)).sort();
    for (const n of names.slice(0, Math.max(0, names.length - keep))) {
      await rm(join(this.checkpointsDir, n), { recursive: true, force: true });
    }
  }

  /**
   * Drops metrics.jsonl lines past `step` (written by a run that died after its last checkpoint) and returns
   * the lines kept.
   */
  private async truncateMetricsLog(step: number): Promise<LoggedStep[]> {
    const path = join(this.o.runDir, 'metrics.jsonl');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return [];
    }
    const kept: LoggedStep[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const logged = JSON.parse(line) as LoggedStep;
        if (logged.step <= step) kept.push(logged);
      } catch {
        // A line cut short by the kill: dropped.
      }
    }
    await writeFileAtomic(path, kept.map((l) => `${JSON.stringify(l)}\n`).join(''));
    return kept;
  }
}

/** A line of metrics.jsonl; a non-finite loss is written as null. */
interface LoggedStep { epoch: number; step: number; loss: number | null; lr: number }
