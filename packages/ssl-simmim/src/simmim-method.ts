import { maeInitialPatchSize } from '@openmind-ssl/augment';
import {
  type AdaptationPlan, adaptationPlanOf, AdamW, type Architecture, buildsTokenNetworks, type DataPipeline, type HostBatch, isTokenNetwork,
  missingTokenMembers, mse, OpenMindError, type Reconstruction, type Rng, type SSLMethod, type SSLMethodContext, type Tensor, tensor,
  type TokenNetwork, type TrainingRecipe, warmupPoly,
} from '@openmind-ssl/core';
import type { SimmimConfig } from './config.js';
import { SimmimNetwork } from './simmim-network.js';
import { drawTokenMask } from './token-mask.js';

/** What the network saw and produced for one batch. */
export interface SimmimReconstruction extends Reconstruction {
  /** [N, 1, D, H, W] uint8, 1 = voxel of a visible token. */
  mask: Uint8Array;
  /** [N, T] uint8, 1 = visible token. */
  tokenMask: Uint8Array;
}

/**
 * SimMIM on a token transformer (nnssl SimMIMEvaTrainer with EvaSimMIM): a random 75% of the patch tokens
 * is replaced by a learned mask token before the position embedding, every token is encoded, the
 * architecture's patch decoder reconstructs the volume, and the loss is the MSE over the voxels of the
 * masked tokens.
 * @see Xie et al., "SimMIM: A Simple Framework for Masked Image Modeling", CVPR 2022; nnssl-spec §3.4
 */
export class SimmimMethod implements SSLMethod {
  readonly id = 'simmim';
  readonly network: SimmimNetwork;
  readonly config: SimmimConfig;
  private readonly arch: Architecture & TokenNetwork;

  /**
   * `ctx.config` is validated by the host with simmimConfigSchema.
   * @throws OpenMindError when the architecture does not build token networks (SimMIM masks tokens).
   */
  constructor(private readonly ctx: SSLMethodContext<SimmimConfig>) {
    this.config = ctx.config;
    const factory = ctx.architecture;
    if (!buildsTokenNetworks(factory)) {
      throw new OpenMindError(`SimMIM: architecture '${factory.name}' does not build token networks; SimMIM masks patch tokens, so it needs a token transformer such as --arch primus-m.`);
    }
    const rng = ctx.rng.fork();
    const net: unknown = factory.createTokenNetwork(ctx.preset, {
      inChannels: ctx.inChannels, outChannels: ctx.inChannels, patchSize: ctx.patchSize, rng, dropPathRate: this.config.dropPathRate,
    });
    // A JavaScript plugin is not type-checked: make sure the network really is what the factory promises.
    if (!isTokenNetwork(net)) {
      throw new OpenMindError(`SimMIM: architecture '${factory.name}' builds token networks, but preset '${ctx.preset}' lacks ${missingTokenMembers(net).join(', ')}.`);
    }
    this.arch = net as Architecture & TokenNetwork;
    this.network = new SimmimNetwork(this.arch, rng.fork());
  }

  /** The token mask, the masked input (for previews; the network gets the full image) and the reconstruction. */
  reconstruct(batch: HostBatch, rng: Rng): SimmimReconstruction {
    const n = batch.shape[0];
    const tokenMask = drawTokenMask(n, this.network.tokens, this.config.maskRatio, rng);
    const x = tensor(batch.image, batch.shape);
    const visible = this.arch.tokenFlagsToVoxels(tokenMask, n);
    const corrupted = x.mul(tensor(visible, [n, 1, ...batch.shape.slice(2)]));
    return { input: x, corrupted, output: this.network.forward(x, tokenMask, rng), mask: new Uint8Array(visible), tokenMask };
  }

  /** MSE over the voxels of masked tokens (and, with excludeAnonymized, not defaced). */
  loss(batch: HostBatch, rng: Rng): Tensor {
    const { input, output, mask } = this.reconstruct(batch, rng);
    const anon = this.config.excludeAnonymized ? batch.masks?.anonymization : undefined;
    // A loop, not Float32Array.from(mask, fn): V8 maps through its generic path, 80 ms a step at 2 × 64³.
    const lossMask = new Float32Array(mask.length);
    for (let i = 0; i < mask.length; i++) lossMask[i] = mask[i] || anon?.[i] ? 0 : 1;
    const [n, , d, h, w] = batch.shape;
    return mse(output, input, tensor(lossMask, [n, 1, d, h, w]));
  }

  /** AdamW with linear warm-up then poly decay per epoch, gradient clip (the EvaMAE recipe). */
  recipe(s: { epochs: number }): TrainingRecipe {
    const c = this.config;
    return {
      optimizer: new AdamW(this.network.parameters(), { lr: c.lr, betas: c.betas, weightDecay: c.weightDecay }),
      schedule: warmupPoly(c.lr, c.warmupEpochs, s.epochs),
      scheduleUnit: 'epoch',
      gradClip: c.gradClip,
    };
  }

  /** SimMIMEvaTrainer inherits BaseMAETrainer's pipeline: enlarged crops, rotation/scale/mirror, centre crop. */
  dataPipeline(): DataPipeline {
    const patch = [...this.ctx.patchSize] as [number, number, number];
    return {
      loaderPatchSize: maeInitialPatchSize(patch),
      augmentation: { module: '@openmind-ssl/augment', exportName: 'maeSpatialPipeline', args: [patch] },
    };
  }

  /** The architecture's keys: the SimMIM network adopts its modules under the same names. */
  adaptationPlan(): AdaptationPlan {
    return adaptationPlanOf(this.arch, this.ctx);
  }
}
