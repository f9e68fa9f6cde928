import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AdaptationPlan, adaptationPlanOf, AdamW, constant, crossEntropy, type DataPipeline, emaUpdate, type HostBatch, mse, noGrad,
  OpenMindError, type ReportPanel, type SSLMethod, type SSLMethodContext, type Tensor, tensor, tidy, type TrainingRecipe,
} from '@openmind-ssl/core';
import type { TwoViewConfig } from './config.js';
import { turnPlanes } from './turn-plane.js';
import { EncoderProjector, TwoViewNetwork } from './two-view-network.js';

/** The sampler module beside this file: src/two-view-sampler.ts from source, dist/two-view-sampler.js when built. */
const samplerModule = fileURLToPath(new URL(`./two-view-sampler${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/**
 * A two-view method with a class target and an EMA teacher: from the pooled features of both views the
 * student classifies the turn k that view `b` was given relative to the overlapping view `a`
 * (cross-entropy against the `turn` target), and its projection of `b` matches the teacher's projection
 * of `a` (MSE); the teacher follows the student by EMA after every update.
 */
export class TwoViewTurn implements SSLMethod {
  readonly id = 'two-view';
  readonly network: TwoViewNetwork;

  /** `ctx.config` arrives validated by the host (twoViewConfigSchema). */
  constructor(private readonly ctx: SSLMethodContext<TwoViewConfig>) {
    const [, h, w] = ctx.patchSize;
    if (h !== w) throw new OpenMindError(`two-view: the patch must be square in its last two axes to turn it, got [${ctx.patchSize.join(', ')}]`);
    const encoder = () => ctx.architecture.create(ctx.preset, {
      inChannels: ctx.inChannels, outChannels: 1, patchSize: ctx.patchSize, rng: ctx.rng.fork(), encoderOnly: true,
    });
    const student = new EncoderProjector(encoder(), 16, ctx.rng.fork());
    const teacher = new EncoderProjector(encoder(), 16, ctx.rng.fork());
    this.network = new TwoViewNetwork(student, teacher, ctx.rng.fork());
  }

  /** Two network-patch crops from a loaded crop 1.5× as large, cut and turned by the sampler in the workers. */
  dataPipeline(): DataPipeline {
    return {
      loaderPatchSize: this.ctx.patchSize.map((s) => Math.ceil(1.5 * s)) as [number, number, number],
      views: {
        sampler: { module: samplerModule, exportName: 'twoViewSampler', args: [[...this.ctx.patchSize]] },
        views: [{ name: 'a', crops: 1 }, { name: 'b', crops: 1 }],
      },
    };
  }

  loss(batch: HostBatch): Tensor {
    const a = batch.views?.['a'];
    const b = batch.views?.['b'];
    const turn = batch.targets?.['turn'];
    if (!a || !b || !turn) {
      throw new OpenMindError(`two-view: a batch needs views 'a' and 'b' and the target 'turn' (from the method's dataPipeline()), but it has views [${Object.keys(batch.views ?? {}).join(', ')}] and targets [${Object.keys(batch.targets ?? {}).join(', ')}]`);
    }
    const net = this.network;
    const features = net.student.pooled(tensor(b.image, b.shape));
    const logits = net.turnLogits(net.student.pooled(tensor(a.image, a.shape)), features);
    const classify = crossEntropy(logits, tensor(Int32Array.from(turn.data), [turn.shape[0]!], { dtype: 'int32' }));
    const target = noGrad(() => net.teacher.forward(tensor(a.image, a.shape))).detach();
    const match = mse(net.student.projector.forward(features), target);
    return classify.add(match.mul(this.ctx.config.matchWeight));
  }

  recipe(): TrainingRecipe {
    const c = this.ctx.config;
    const net = this.network;
    const student = net.student.parameters();
    return {
      optimizer: new AdamW([...student, ...net.head.parameters()], { lr: c.lr, weightDecay: c.weightDecay }),
      schedule: constant(c.lr),
      scheduleUnit: 'epoch',
      gradClip: c.gradClip,
      frozen: net.teacher.parameters(),
      afterUpdate: (u) => emaUpdate(net.teacher.parameters(), student, c.momentum, u.applyIf),
    };
  }

  adaptationPlan(): AdaptationPlan {
    return adaptationPlanOf(this.network.student.backbone, this.ctx, 'student.backbone.');
  }

  /**
   * Report panel: the confusion matrix of the turns on the report's batch (its `image`) — every sample
   * paired with itself turned by each of the four angles, counted by the angle the student predicts.
   */
  async reportPanels(batch: HostBatch): Promise<ReportPanel[]> {
    const [n, c, d, h, w] = batch.shape;
    const counts = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    for (let k = 0; k < 4; k++) {
      const turned = turnPlanes(batch.image, [n * c, d, h, w], k);
      const logits = noGrad(() => tidy(() => this.network.forward(tensor(batch.image, batch.shape), tensor(turned, batch.shape))));
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
      type: 'matrix', title: 'Turn confusion matrix', caption: `true turn (rows) against the student's prediction (columns), ${n} samples × 4 turns`,
      values: counts, rowLabels: angles, columnLabels: angles, valueLabel: 'samples',
    }];
  }
}
