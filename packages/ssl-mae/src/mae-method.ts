import {
  type AdaptationPlan, adaptationPlanOf, type Architecture, type DataPipeline, type HostBatch, OpenMindError, poly, type Reconstruction, type Rng, SGD, type SSLMethod,
  type SSLMethodContext, type Tensor, tensor, type TrainingRecipe,
} from '@openmind-ssl/core';
import type { MaeConfig } from './config.js';
import { maskedMse } from './loss.js';
import { batchMask } from './masking.js';
import { maeDataPipeline } from './data-pipeline.js';

/** What the network saw and produced for one batch (`corrupted` is the masked input). */
export interface MaeReconstruction extends Reconstruction {
  /** [N, 1, D, H, W] uint8, 1 = visible. */
  mask: Uint8Array;
}

/**
 * Masked autoencoding with a CNN (nnssl BaseMAETrainer): blocks of the input are zeroed, the network
 * reconstructs the whole volume, and the loss is the MSE over the hidden voxels only (optionally also
 * excluding defaced voxels).
 * @see nnssl-spec §3.1
 */
export class MaeMethod implements SSLMethod {
  readonly id = 'mae';
  readonly network: Architecture;
  private readonly patch: readonly [number, number, number];

  constructor(
    private readonly ctx: SSLMethodContext<MaeConfig>,
  ) {
    this.patch = ctx.patchSize;
    this.network = ctx.architecture.create(ctx.preset, {
      inChannels: ctx.inChannels,
      outChannels: ctx.inChannels,
      patchSize: ctx.patchSize,
      rng: ctx.rng.fork(),
    });
  }

  private masks(batch: HostBatch, rng: Rng): { visible: Uint8Array; shape: number[] } {
    const [n, , d, h, w] = batch.shape;
    if (d !== this.patch[0] || h !== this.patch[1] || w !== this.patch[2]) {
      throw new OpenMindError(`MAE: batch patch [${[d, h, w]}] differs from the configured patch [${this.patch}]`);
    }
    const c = this.ctx.config;
    return { visible: batchMask(n, this.patch, c.blockSize, c.maskRatio, rng), shape: [n, 1, d, h, w] };
  }

  /** The masked input and the network's reconstruction of it. */
  reconstruct(batch: HostBatch, rng: Rng): MaeReconstruction {
    const { visible, shape } = this.masks(batch, rng);
    const x = tensor(batch.image, batch.shape);
    const corrupted = x.mul(tensor(visible, shape, { dtype: 'uint8' }).cast('float32'));
    return { input: x, corrupted, output: this.network.forward(corrupted), mask: visible };
  }

  loss(batch: HostBatch, rng: Rng): Tensor {
    const { output, mask } = this.reconstruct(batch, rng);
    const [n, , d, h, w] = batch.shape;
    const lossMask = new Float32Array(mask.length);
    const anon = this.ctx.config.excludeAnonymized ? batch.masks?.anonymization : undefined;
    for (let i = 0; i < mask.length; i++) lossMask[i] = mask[i] ? 0 : anon?.[i] ? 0 : 1;
    return maskedMse(output, tensor(batch.image, batch.shape), tensor(lossMask, [n, 1, d, h, w]));
  }

  recipe(s: { epochs: number }): TrainingRecipe {
    const c = this.ctx.config;
    return {
      optimizer: new SGD(this.network.parameters(), {
        lr: c.lr, momentum: c.momentum, nesterov: c.nesterov, weightDecay: c.weightDecay,
      }),
      schedule: poly(c.lr, s.epochs),
      scheduleUnit: 'epoch',
      gradClip: c.gradClip,
    };
  }

  dataPipeline(): DataPipeline {
    return maeDataPipeline(this.patch);
  }

  adaptationPlan(): AdaptationPlan {
    return adaptationPlanOf(this.network, this.ctx);
  }
}
