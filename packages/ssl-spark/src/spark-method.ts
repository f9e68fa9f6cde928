import {
  type AdaptationPlan, adaptationPlanOf, decodesFeatures, encodesSparsely, type HostBatch, OpenMindError, poly, type Reconstruction, type Rng, SGD,
  type SSLMethod, type SSLMethodContext, type Tensor, tensor, type DataPipeline, type TrainingRecipe,
} from '@openmind-ssl/core';
import { BlockActiveVoxels } from './block-active-voxels.js';
import { drawCellMask } from './cell-mask.js';
import type { SparkConfig } from './config.js';
import { sparkDataPipeline } from './data-pipeline.js';
import { sparkLoss } from './loss.js';
import { type SparkArchitecture, SparkNetwork } from './spark-network.js';

/** What the network saw and produced for one batch (`corrupted` is the input with hidden cells zeroed). */
export interface SparkReconstruction extends Reconstruction {
  /** [N, 1, D, H, W] uint8, 1 = visible. */
  mask: Uint8Array;
}

/**
 * SparK for CNNs (nnssl SparkMAETrainer, Tian et al. ICLR 2023): blocks of the input are hidden, the
 * encoder runs sparsely on the visible ones (hidden voxels stay 0 after every conv and pooling, norms
 * see visible voxels only, the bottleneck is dense), the features are densified with learned mask
 * tokens, the U-Net decoder reconstructs the volume, and the loss is the MSE over the hidden voxels.
 * @see nnssl-spec §3.2, §4.5
 */
export class SparkMethod implements SSLMethod {
  readonly id = 'spark';
  readonly network: SparkNetwork;
  private readonly patch: readonly [number, number, number];
  /** The bottleneck's spatial size at the patch: run dense, as in nnssl at its 160³ patch. */
  private readonly bottleneck: number[];

  /**
   * @throws OpenMindError when the architecture's networks cannot encode sparsely or decode supplied features
   */
  constructor(private readonly ctx: SSLMethodContext<SparkConfig>) {
    this.patch = ctx.patchSize;
    const arch = ctx.architecture.create(ctx.preset, { inChannels: ctx.inChannels, outChannels: ctx.inChannels, patchSize: ctx.patchSize, rng: ctx.rng.fork() });
    if (!encodesSparsely(arch) || !decodesFeatures(arch)) {
      const missing = [...(encodesSparsely(arch) ? [] : ['encodeSparse()']), ...(decodesFeatures(arch) ? [] : ['decodeFeatures()'])];
      arch.dispose();
      throw new OpenMindError(
        `SparK: architecture '${ctx.architecture.name}' must build networks that encode sparsely and decode supplied features, but its '${ctx.preset}' network lacks ${missing.join(' and ')}.\nHint: SparK is a CNN method; use a ResEnc preset (e.g. --arch resenc-l), or MAE/SimMIM on a transformer.`,
      );
    }
    const strides = arch.featureStrides.at(-1)!;
    this.bottleneck = this.patch.map((s, a) => Math.floor(s / strides[a]!));
    this.network = new SparkNetwork(arch as SparkArchitecture, ctx.rng.fork());
  }

  private activeVoxels(batch: HostBatch, rng: Rng): BlockActiveVoxels {
    const [n, , d, h, w] = batch.shape;
    if (d !== this.patch[0] || h !== this.patch[1] || w !== this.patch[2]) {
      throw new OpenMindError(`SparK: batch patch [${[d, h, w].join(', ')}] must equal the configured patch [${this.patch.join(', ')}].`);
    }
    const c = this.ctx.config;
    return new BlockActiveVoxels(drawCellMask(n, this.patch, c.blockSize, c.maskRatio, rng), [this.bottleneck]);
  }

  /** The visible part of the input, what the encoder reads (the whole input with maskInput: false), and the reconstruction. */
  reconstructWith(batch: HostBatch, active: BlockActiveVoxels): { input: Tensor; corrupted: Tensor; encoderInput: Tensor; output: Tensor; visible: Tensor } {
    const x = tensor(batch.image, batch.shape);
    const visible = active.at(this.patch)!;
    const corrupted = x.mul(visible);
    const encoderInput = this.ctx.config.maskInput ? corrupted : x;
    return { input: x, corrupted, encoderInput, output: this.network.reconstruct(encoderInput, active), visible };
  }

  reconstruct(batch: HostBatch, rng: Rng): SparkReconstruction {
    const active = this.activeVoxels(batch, rng);
    const { input, corrupted, output } = this.reconstructWith(batch, active);
    return { input, corrupted, output, mask: Uint8Array.from(active.voxels(this.patch)) };
  }

  loss(batch: HostBatch, rng: Rng): Tensor {
    return this.lossWith(batch, this.activeVoxels(batch, rng));
  }

  /** The loss of `batch` under a given mask (the hidden voxels of `active` at the patch are scored). */
  lossWith(batch: HostBatch, active: BlockActiveVoxels): Tensor {
    const { input, output } = this.reconstructWith(batch, active);
    const visible = active.voxels(this.patch);
    const anon = this.ctx.config.excludeAnonymized ? batch.masks?.anonymization : undefined;
    const lossMask = new Float32Array(visible.length);
    for (let i = 0; i < visible.length; i++) lossMask[i] = visible[i] || anon?.[i] ? 0 : 1;
    return sparkLoss(output, input, tensor(lossMask, [batch.shape[0], 1, ...this.patch]));
  }

  recipe(s: { epochs: number }): TrainingRecipe {
    const c = this.ctx.config;
    return {
      optimizer: new SGD(this.network.parameters(), { lr: c.lr, momentum: c.momentum, nesterov: c.nesterov, weightDecay: c.weightDecay }),
      schedule: poly(c.lr, s.epochs),
      scheduleUnit: 'epoch',
      gradClip: c.gradClip,
    };
  }

  dataPipeline(): DataPipeline {
    return sparkDataPipeline(this.patch);
  }

  /** nnssl's plan of the inner ResEnc (SparK adds no prefix: its encoder keys are the plain ones). */
  adaptationPlan(): AdaptationPlan {
    return adaptationPlanOf(this.network.architecture, this.ctx);
  }
}
