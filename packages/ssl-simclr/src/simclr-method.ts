import {
  type AdaptationPlan, adaptationPlanOf, AdamW, type Architecture, buildsTokenNetworks, concat, type DataPipeline, type HostBatch, type HostView,
  noGrad, OpenMindError, poly, type ReportPanel, SGD, type SSLMethod, type SSLMethodContext, type Tensor, tensor, tidy, type TrainingRecipe,
  warmupPoly,
} from '@openmind-ssl/core';
import type { SimclrConfig, TokenSimclrConfig } from './config.js';
import { ContrastiveNetwork } from './contrastive-network.js';
import { SIMCLR_VIEWS, simclrDataPipeline } from './data-pipeline.js';
import { cosineSimilarityMatrix, ntXent } from './nt-xent.js';

/** Crop pairs drawn in the report's similarity panel at most (a 32 × 32 matrix). */
const PANEL_PAIRS = 16;

/**
 * SimCLR as nnssl's SimCLRTrainer (ResEnc) and SimCLREvaTrainer (Primus): per image, `pairs` reference
 * crops and as many overlapping crops of the network patch (the crop) are cut from a larger patch and
 * augmented independently; one forward pass embeds all 2N crops (N = batch · pairs) through the
 * encoder-only network and the projector; the loss is NT-Xent over the 2N rows (nnssl-spec §3.5, §4.6).
 * Unlike nnssl, whose ResEnc SimCLR cannot build its encoder-only network (nnssl-spec §3.0), it runs.
 */
export class SimclrMethod implements SSLMethod {
  readonly id = 'simclr';
  readonly network: ContrastiveNetwork;
  readonly config: SimclrConfig | TokenSimclrConfig;
  /** Whether the architecture is a token transformer (Primus): the AdamW recipe. */
  readonly tokenVariant: boolean;
  private readonly arch: Architecture;

  /**
   * `ctx.config` is validated by the host with the factory's schema for `ctx.architecture`.
   * @throws OpenMindError when crops cannot be turned (rot90 in axes 0, 1 needs crop[0] = crop[1]) or the
   * loader patch cannot hold a crop.
   */
  constructor(private readonly ctx: SSLMethodContext<SimclrConfig | TokenSimclrConfig>) {
    this.config = ctx.config;
    this.tokenVariant = buildsTokenNetworks(ctx.architecture);
    const crop = ctx.patchSize;
    if (this.config.augment && crop[0] !== crop[1]) {
      throw new OpenMindError(`SimCLR: the crop (the run's patch size) must be square in its first two axes for the rot90 augmentation, but got [${crop.join(', ')}]; pass a square patch or set augment: false.`);
    }
    const loader = this.loaderPatchSize();
    if (loader.some((s, d) => s < crop[d]!)) {
      throw new OpenMindError(`SimCLR: loaderPatchSize [${loader.join(', ')}] must hold a crop of [${crop.join(', ')}] (the run's patch size).`);
    }
    this.arch = ctx.architecture.create(ctx.preset, {
      inChannels: ctx.inChannels, outChannels: ctx.inChannels, patchSize: crop, rng: ctx.rng.fork(), encoderOnly: true,
    });
    this.network = new ContrastiveNetwork(this.arch, this.config.projectorDim, ctx.rng.fork());
  }

  /** The patch read per image: the configured one, or crop × [3, 3, 1] (nnssl: 192×192×64 for 64³ crops). */
  loaderPatchSize(): [number, number, number] {
    const c = this.ctx.patchSize;
    return this.config.loaderPatchSize ? [...this.config.loaderPatchSize] : [3 * c[0], 3 * c[1], c[2]];
  }

  dataPipeline(): DataPipeline {
    const c = this.config;
    return simclrDataPipeline({ cropSize: this.ctx.patchSize, loaderPatchSize: this.loaderPatchSize(), pairs: c.pairs, minOverlap: c.minOverlap, augment: c.augment });
  }

  /** The reference and overlapping crops of a batch, checked against the run's crop size. */
  private views(batch: HostBatch): [HostView, HostView] {
    const [ref, other] = SIMCLR_VIEWS.map((v) => batch.views?.[v]);
    if (!ref || !other) {
      throw new OpenMindError(`SimCLR: a batch needs the views 'reference' and 'overlap' (from the method's dataPipeline()), but it has [${Object.keys(batch.views ?? {}).join(', ')}].`);
    }
    const want = this.ctx.patchSize;
    for (const v of [ref, other]) {
      if (v.shape.slice(2).some((s, d) => s !== want[d]) || v.shape[0] !== ref.shape[0]) {
        throw new OpenMindError(`SimCLR: view crops must be [${ref.shape[0]}, C, ${want.join(', ')}] in both views, but got [${ref.shape.join(', ')}] and [${other.shape.join(', ')}].`);
      }
    }
    return [ref, other];
  }

  /** Embeddings of all 2N crops in one pass: the N reference crops, then the N overlapping crops. [2N, projectorDim] */
  embed(batch: HostBatch): Tensor {
    const [ref, other] = this.views(batch);
    const x = concat([tensor(ref.image, ref.shape), tensor(other.image, other.shape)], 0);
    return this.network.forward(x);
  }

  loss(batch: HostBatch): Tensor {
    return ntXent(this.embed(batch), this.config.temperature);
  }

  /** ResEnc: nnssl's default SGD, poly per epoch, clip 0.1. Primus: AdamW, linear warm-up then poly, clip 1. */
  recipe(s: { epochs: number }): TrainingRecipe {
    if (this.tokenVariant) {
      const c = this.config as TokenSimclrConfig;
      return {
        optimizer: new AdamW(this.network.parameters(), { lr: c.lr, betas: c.betas, weightDecay: c.weightDecay }),
        schedule: warmupPoly(c.lr, c.warmupEpochs, s.epochs),
        scheduleUnit: 'epoch',
        gradClip: c.gradClip,
      };
    }
    const c = this.config as SimclrConfig;
    return {
      optimizer: new SGD(this.network.parameters(), { lr: c.lr, momentum: c.momentum, nesterov: c.nesterov, weightDecay: c.weightDecay }),
      schedule: poly(c.lr, s.epochs),
      scheduleUnit: 'epoch',
      gradClip: c.gradClip,
    };
  }

  /** The encoder's keys as the architecture names them; the pretrain plan's patch is the crop (nnssl-spec §3.5). */
  adaptationPlan(): AdaptationPlan {
    return adaptationPlanOf(this.arch, this.ctx);
  }

  /**
   * Report panel: the cosine similarity of the embeddings of one batch's crops (up to 16 pairs): the
   * reference crops, then their overlapping crops. A trained network makes the ±N diagonals (a crop and its
   * partner) bright and the rest dark.
   */
  async reportPanels(batch: HostBatch): Promise<ReportPanel[]> {
    const [ref, other] = this.views(batch);
    const n = Math.min(ref.shape[0], PANEL_PAIRS);
    const cut = (v: HostView) => {
      const size = v.image.length / v.shape[0];
      return tensor(v.image.subarray(0, n * size), [n, ...v.shape.slice(1)]);
    };
    const sim = noGrad(() => tidy(() => cosineSimilarityMatrix(this.network.forward(concat([cut(ref), cut(other)], 0)))));
    const values = await sim.floats();
    sim.dispose();
    const rows = Array.from({ length: 2 * n }, (_, i) => Array.from(values.subarray(2 * n * i, 2 * n * (i + 1)), (v) => Math.round(v * 1e4) / 1e4));
    const labels = [...Array.from({ length: n }, (_, i) => `ref ${i + 1}`), ...Array.from({ length: n }, (_, i) => `ovl ${i + 1}`)];
    return [{
      type: 'matrix', title: 'Embedding similarity',
      caption: `cosine similarity of the projector outputs of ${n} reference crops and their ${n} overlapping crops (positives on the ±${n} diagonals)`,
      values: rows, rowLabels: labels, columnLabels: labels, valueLabel: 'cosine similarity',
    }];
  }
}
