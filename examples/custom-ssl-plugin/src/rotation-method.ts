import {
  type AdaptationPlan, adaptationPlanOf, AdamW, type Architecture, constant, crossEntropy, type HostBatch, Linear, Module, noGrad, type Rng,
  type ReportPanel, type SSLMethod, type SSLMethodContext, type Tensor, tensor, tidy, type TrainingRecipe,
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

  /** `ctx.config` arrives validated by the host (rotationConfigSchema). */
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

  /**
   * Report panel: the confusion matrix of the turns on the report's batch — every sample turned by each
   * of the four angles, counted by the angle the network predicts. A trained network fills the diagonal.
   */
  async reportPanels(batch: HostBatch): Promise<ReportPanel[]> {
    const n = batch.shape[0];
    const counts = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    for (let k = 0; k < 4; k++) {
      const turned = rot90Planes(batch.image, batch.shape, Array<number>(n).fill(k));
      const logits = noGrad(() => tidy(() => this.network.forward(tensor(turned, batch.shape))));
      const scores = await logits.floats();
      logits.dispose();
      for (let s = 0; s < n; s++) {
        let best = 0;
        for (let j = 1; j < 4; j++) if (scores[4 * s + j]! > scores[4 * s + best]!) best = j;
        counts[k]![best]! += 1;
      }
    }
    const angles = ['0°', '90°', '180°', '270°'];
    return [{
      type: 'matrix', title: 'Rotation confusion matrix', caption: `true turn (rows) against predicted turn (columns), ${n} samples × 4 turns`,
      values: counts, rowLabels: angles, columnLabels: angles, valueLabel: 'samples',
    }];
  }
}
