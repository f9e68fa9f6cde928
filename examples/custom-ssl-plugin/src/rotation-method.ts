import {
  type AdaptationPlan, adaptationPlanOf, AdamW, type Architecture, constant, crossEntropy, type HostBatch, Linear, Module, type Rng,
  type SSLMethod, type SSLMethodContext, type Tensor, tensor, type TrainingRecipe,
} from '@openmind-ssl/core';
import type { RotationConfig } from './config.js';
import { rot90Planes } from './rot90.js';

/** Encoder + a linear classifier over the globally pooled coarsest features. */
class RotationNetwork extends Module {
  readonly backbone: Architecture;
  readonly head: Linear;
  constructor(backbone: Architecture, channels: number, rng: Rng) {
    super();
    this.backbone = this.child('backbone', backbone);
    this.head = this.child('head', new Linear(channels, 4, { rng }));
  }

  forward(x: Tensor): Tensor {
    const deepest = this.backbone.encode(x).at(-1)!;
    return this.head.forward(deepest.mean([2, 3, 4]));
  }
}

/**
 * Rotation prediction (Gidaris et al., RotNet, in 3D): every sample is turned by 0, 90, 180 or 270
 * degrees in its axial plane and the network classifies the turn, which requires it to recognise
 * anatomy and its orientation.
 */
export class RotationPrediction implements SSLMethod {
  readonly id = 'rotation';
  readonly network: RotationNetwork;

  constructor(private readonly ctx: SSLMethodContext<RotationConfig>) {
    const backbone = ctx.architecture.create(ctx.preset, {
      inChannels: ctx.inChannels, outChannels: 1, patchSize: ctx.patchSize, rng: ctx.rng.fork(), encoderOnly: true,
    });
    this.network = new RotationNetwork(backbone, backbone.featureChannels.at(-1)!, ctx.rng.fork());
  }

  loss(batch: HostBatch, rng: Rng): Tensor {
    const ks = Array.from({ length: batch.shape[0] }, () => rng.int(0, 4));
    const rotated = tensor(rot90Planes(batch.image, batch.shape, ks), batch.shape);
    const logits = this.network.forward(rotated);
    return crossEntropy(logits, tensor(Int32Array.from(ks), [ks.length], { dtype: 'int32' }));
  }

  recipe(): TrainingRecipe {
    const c = this.ctx.config;
    return {
      optimizer: new AdamW(this.network.parameters(), { lr: c.lr, weightDecay: c.weightDecay }),
      schedule: constant(c.lr),
      scheduleUnit: 'epoch',
      gradClip: c.gradClip,
    };
  }

  adaptationPlan(): AdaptationPlan {
    return adaptationPlanOf(this.network.backbone, this.ctx, 'backbone.');
  }

}
