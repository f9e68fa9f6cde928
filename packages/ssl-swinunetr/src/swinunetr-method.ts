import {
  type AdaptationPlan, adaptationPlanOf, AdamW, type Architecture, buildsTokenNetworks, crossEntropy, type HostBatch, l1, OpenMindError,
  poly, type Rng, SGD, type SSLMethod, type SSLMethodContext, type Tensor, tensor, type TrainingRecipe, warmupPoly,
} from '@openmind-ssl/core';
import type { SwinunetrConfig, TokenSwinunetrConfig } from './config.js';
import { swinContrastLoss } from './contrast-loss.js';
import { rotateAndCut } from './rotate-and-cut.js';
import { SwinunetrNetwork } from './swinunetr-network.js';

/**
 * SwinUNETR's self-supervised pre-training as nnssl's SwinUNETRTrainer (ResEnc) and SwinUNETREvaTrainer
 * (Primus) run it (nnssl-spec §3.9): two views of every patch, each sample turned by k·90° in its (Y, Z)
 * plane and cut out (noise boxes, boxes of another sample); one forward pass of both views (2B); loss =
 * L1 between the reconstruction and the rotated, uncut image + contrast between the two views (τ 0.5) +
 * cross-entropy of the rotation, weights 1/1/1. Views are made on the host from the loss's rng, because
 * the cutout copies boxes between samples of the batch.
 */
export class SwinunetrMethod implements SSLMethod {
  readonly id = 'swinunetr';
  readonly network: SwinunetrNetwork;
  readonly config: SwinunetrConfig | TokenSwinunetrConfig;
  readonly tokenVariant: boolean;
  private readonly arch: Architecture;

  constructor(private readonly ctx: SSLMethodContext<SwinunetrConfig | TokenSwinunetrConfig>) {
    this.config = ctx.config;
    this.tokenVariant = buildsTokenNetworks(ctx.architecture);
    const p = ctx.patchSize;
    if (p[1] !== p[2]) throw new OpenMindError(`SwinUNETR: the patch must be square in its last two axes to be rotated, but got [${p.join(', ')}].`);
    this.arch = ctx.architecture.create(ctx.preset, { inChannels: ctx.inChannels, outChannels: ctx.inChannels, patchSize: p, rng: ctx.rng.fork(), encoderOnly: true });
    this.network = new SwinunetrNetwork(this.arch, { contrastDim: this.config.contrastDim, outChannels: ctx.inChannels, rng: ctx.rng.fork() });
  }

  loss(batch: HostBatch, rng: Rng): Tensor {
    const [b, c, d, h, w] = batch.shape;
    if (b < 1 || d !== this.ctx.patchSize[0] || h !== this.ctx.patchSize[1] || w !== this.ctx.patchSize[2]) {
      throw new OpenMindError(`SwinUNETR: batch patch [${[d, h, w].join(', ')}] differs from the configured patch [${this.ctx.patchSize.join(', ')}].`);
    }
    const cfg = this.config;
    const v1 = rotateAndCut(batch.image, batch.shape, rng, cfg.maxDrop);
    const v2 = rotateAndCut(batch.image, batch.shape, rng, cfg.maxDrop);
    const shape = [2 * b, c, d, h, w];
    const cut = new Float32Array(2 * batch.image.length);
    cut.set(v1.cutout);
    cut.set(v2.cutout, batch.image.length);
    const rotated = new Float32Array(2 * batch.image.length);
    rotated.set(v1.rotated);
    rotated.set(v2.rotated, batch.image.length);
    const out = this.network.heads(tensor(cut, shape));
    const labels = tensor(Int32Array.from([...v1.rotations, ...v2.rotations]), [2 * b], { dtype: 'int32' });
    return l1(out.reconstruction, tensor(rotated, shape)).mul(cfg.reconWeight)
      .add(swinContrastLoss(out.contrast, cfg.temperature).mul(cfg.contrastWeight))
      .add(crossEntropy(out.rotation, labels).mul(cfg.rotationWeight));
  }

  /** ResEnc: nnssl's default SGD, poly per epoch, clip 12. Primus: AdamW with warm-up then poly, clip 1. */
  recipe(s: { epochs: number }): TrainingRecipe {
    const params = this.network.parameters();
    if (this.tokenVariant) {
      const c = this.config as TokenSwinunetrConfig;
      return { optimizer: new AdamW(params, { lr: c.lr, betas: c.betas, weightDecay: c.weightDecay }), schedule: warmupPoly(c.lr, c.warmupEpochs, s.epochs), scheduleUnit: 'epoch', gradClip: c.gradClip };
    }
    const c = this.config as SwinunetrConfig;
    return { optimizer: new SGD(params, { lr: c.lr, momentum: c.momentum, nesterov: c.nesterov, weightDecay: c.weightDecay }), schedule: poly(c.lr, s.epochs), scheduleUnit: 'epoch', gradClip: c.gradClip };
  }

  adaptationPlan(): AdaptationPlan {
    return adaptationPlanOf(this.arch, this.ctx);
  }

  /** The report's previews: view 1 of the batch, cut out, and its reconstruction against the rotated image. */
  reconstruct(batch: HostBatch, rng: Rng) {
    const v = rotateAndCut(batch.image, batch.shape, rng, this.config.maxDrop);
    const corrupted = tensor(v.cutout, batch.shape);
    return { input: tensor(v.rotated, batch.shape), corrupted, output: this.network.heads(corrupted).reconstruction };
  }
}

