import {
  type AdaptationPlan, adaptationPlanOf, AdamW, type Architecture, buildsTokenNetworks, concat, type DataPipeline, emaUpdate, type HostBatch,
  type HostView, noGrad, OpenMindError, poly, relu, reshape, type ReportPanel, SGD, slice, type SSLMethod, type SSLMethodContext, type Tensor,
  tensor, tidy, type TrainingRecipe, warmupPoly,
} from '@openmind-ssl/core';
import type { TokenVocoConfig, VocoConfig } from './config.js';
import { ContrastiveNetwork } from './contrastive-network.js';
import { vocoDataPipeline } from './data-pipeline.js';
import { pairwiseCosine, vocoPredictionLoss, vocoRegularizationLoss } from './voco-loss.js';

/** The embeddings of one batch, split per image. */
interface VocoEmbeddings {
  /** [B, N, D] base crops (the teacher's, when there is one, for the prediction loss). */
  base: Tensor;
  /** [B, N, D] base crops from the student (the regularisation loss). */
  studentBase: Tensor;
  /** [B, T, D] target crops from the student. */
  target: Tensor;
  /** [B, T, N] overlap labels. */
  overlaps: Tensor;
}

/**
 * VoCo as nnssl's VoCoTrainer (ResEnc) and VoCoEvaTrainer (Primus): each image's patch is a grid of base
 * crops plus random target crops; the network (encoder-only, pooled, projected) embeds them all in one pass;
 * the prediction loss asks each target's relu-cosine similarity to every base crop to equal the fraction of
 * the target that base crop covers, and the regularisation loss pushes base crops apart (nnssl-spec §3.6).
 * Unlike nnssl, whose VoCo trainers cannot build their network (nnssl-spec §3.0), it runs; optionally a
 * momentum teacher embeds the base crops of the prediction loss (off by default, as nnssl).
 */
export class VocoMethod implements SSLMethod {
  readonly id = 'voco';
  readonly network: ContrastiveNetwork;
  readonly config: VocoConfig | TokenVocoConfig;
  readonly tokenVariant: boolean;
  private readonly arch: Architecture;

  /** `ctx.config` is validated by the host with the factory's schema for `ctx.architecture`. */
  constructor(private readonly ctx: SSLMethodContext<VocoConfig | TokenVocoConfig>) {
    this.config = ctx.config;
    this.tokenVariant = buildsTokenNetworks(ctx.architecture);
    const crop = ctx.patchSize;
    if (this.config.augment && crop[0] !== crop[1]) {
      throw new OpenMindError(`VoCo: the crop (the run's patch size) must be square in its first two axes for the rot90 augmentation, but got [${crop.join(', ')}]; pass a square patch or set augment: false.`);
    }
    if (this.config.grid[0] * this.config.grid[1] * this.config.grid[2] < 2) {
      throw new OpenMindError(`VoCo: grid must hold at least 2 base crops (the regularisation loss compares pairs), but got [${this.config.grid.join(', ')}].`);
    }
    const build = () => ctx.architecture.create(ctx.preset, { inChannels: ctx.inChannels, outChannels: ctx.inChannels, patchSize: crop, rng: ctx.rng.fork(), encoderOnly: true });
    this.arch = build();
    this.network = new ContrastiveNetwork(this.arch, this.config.projectorDim, ctx.rng.fork());
    if (this.config.teacherMomentum !== undefined) this.network.attachTeacher(new ContrastiveNetwork(build(), this.config.projectorDim, ctx.rng.fork()));
  }

  dataPipeline(): DataPipeline {
    const c = this.config;
    return vocoDataPipeline({ cropSize: this.ctx.patchSize, grid: c.grid, targets: c.targets, augment: c.augment });
  }

  private inputs(batch: HostBatch): { base: HostView; target: HostView; overlaps: Tensor; images: number } {
    const base = batch.views?.['base'];
    const target = batch.views?.['target'];
    const overlaps = batch.targets?.['overlaps'];
    if (!base || !target || !overlaps) {
      throw new OpenMindError(`VoCo: a batch needs the views 'base' and 'target' and the target 'overlaps' (from the method's dataPipeline()), but it has views [${Object.keys(batch.views ?? {}).join(', ')}] and targets [${Object.keys(batch.targets ?? {}).join(', ')}].`);
    }
    const c = this.config;
    const n = c.grid[0] * c.grid[1] * c.grid[2];
    const images = base.shape[0] / n;
    const want = [images, c.targets, n];
    if (!Number.isInteger(images) || target.shape[0] !== images * c.targets || overlaps.shape.some((s, i) => s !== want[i])) {
      throw new OpenMindError(`VoCo: expected ${n} base crops and ${c.targets} targets per image with overlaps [B, ${c.targets}, ${n}], but got base [${base.shape.join(', ')}], target [${target.shape.join(', ')}], overlaps [${overlaps.shape.join(', ')}].`);
    }
    return { base, target, overlaps: tensor(Float32Array.from(overlaps.data), [images, c.targets, n]), images };
  }

  /** Embeds all base and target crops in one pass (nnssl: cat(base, target)) and splits them per image. */
  embed(batch: HostBatch): VocoEmbeddings {
    const { base, target, overlaps, images } = this.inputs(batch);
    const c = this.config;
    const n = c.grid[0] * c.grid[1] * c.grid[2];
    const all = this.network.forward(concat([tensor(base.image, base.shape), tensor(target.image, target.shape)], 0));
    const d = all.shape[1]!;
    const studentBase = reshape(slice(all, [0, 0], [images * n, d]), [images, n, d]);
    const targetEmb = reshape(slice(all, [images * n, 0], [images * c.targets, d]), [images, c.targets, d]);
    const teacher = this.network.teacher;
    const baseEmb = teacher
      ? reshape(noGrad(() => teacher.forward(tensor(base.image, base.shape))), [images, n, d])
      : studentBase;
    return { base: baseEmb, studentBase, target: targetEmb, overlaps };
  }

  loss(batch: HostBatch): Tensor {
    const e = this.embed(batch);
    const c = this.config;
    return vocoPredictionLoss(e.base, e.target, e.overlaps).mul(c.predWeight).add(vocoRegularizationLoss(e.studentBase).mul(c.regWeight));
  }

  /** ResEnc: nnssl's default SGD, poly per epoch, no clip. Primus: AdamW with warm-up then poly, clip 1. The teacher follows by EMA. */
  recipe(s: { epochs: number }): TrainingRecipe {
    const params = this.network.studentParameters();
    const teacher = this.network.teacher;
    const m = this.config.teacherMomentum;
    const ema = teacher && m !== undefined
      ? { frozen: teacher.parameters(), afterUpdate: (u: { applyIf?: Tensor }) => emaUpdate(teacher.parameters(), params, m, u.applyIf) }
      : {};
    if (this.tokenVariant) {
      const c = this.config as TokenVocoConfig;
      return {
        optimizer: new AdamW(params, { lr: c.lr, betas: c.betas, weightDecay: c.weightDecay }),
        schedule: warmupPoly(c.lr, c.warmupEpochs, s.epochs), scheduleUnit: 'epoch', gradClip: c.gradClip, ...ema,
      };
    }
    const c = this.config as VocoConfig;
    return {
      optimizer: new SGD(params, { lr: c.lr, momentum: c.momentum, nesterov: c.nesterov, weightDecay: c.weightDecay }),
      schedule: poly(c.lr, s.epochs), scheduleUnit: 'epoch', ...(c.gradClip !== undefined ? { gradClip: c.gradClip } : {}), ...ema,
    };
  }

  /** The student encoder's keys as the architecture names them; the pretrain plan's patch is the crop (nnssl-spec §3.6). */
  adaptationPlan(): AdaptationPlan {
    return adaptationPlanOf(this.arch, this.ctx);
  }

  /**
   * Report panel: for the first image of the batch, each target crop's true overlap with every base crop
   * beside the overlap the network predicts (relu of the cosine similarity), row by row.
   */
  async reportPanels(batch: HostBatch): Promise<ReportPanel[]> {
    const c = this.config;
    const n = c.grid[0] * c.grid[1] * c.grid[2];
    const predicted = noGrad(() => tidy(() => {
      const e = this.embed(batch);
      return slice(relu(pairwiseCosine(e.target, e.base)), [0, 0, 0], [1, c.targets, n]);
    }));
    const pred = await predicted.floats();
    predicted.dispose();
    const truth = batch.targets!['overlaps']!.data;
    const round = (v: number) => Math.round(v * 1e4) / 1e4;
    const values: number[][] = [];
    const rowLabels: string[] = [];
    for (let t = 0; t < c.targets; t++) {
      values.push(Array.from(truth.subarray(t * n, (t + 1) * n), round), Array.from(pred.subarray(t * n, (t + 1) * n), round));
      rowLabels.push(`target ${t + 1} true`, `target ${t + 1} predicted`);
    }
    return [{
      type: 'matrix', title: 'VoCo overlap: predicted vs true',
      caption: `first image: fraction of each target crop inside each of the ${n} base crops (true) and relu(cos) of their embeddings (predicted)`,
      values, rowLabels, columnLabels: Array.from({ length: n }, (_, b) => `base ${b + 1}`), valueLabel: 'overlap',
    }];
  }
}
