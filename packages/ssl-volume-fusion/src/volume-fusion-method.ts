import {
  type AdaptationPlan, adaptationPlanOf, AdamW, type Architecture, argMax, buildsTokenNetworks, type DataPipeline, type HostBatch, noGrad, OpenMindError,
  poly, type ReportPanel, type Rng, SGD, type SSLMethod, type SSLMethodContext, type Tensor, tensor, tidy, type TrainingRecipe, warmupPoly,
} from '@openmind-ssl/core';
import { displayWindow, middleSlicePng } from './class-map-png.js';
import type { FusionCnnConfig, FusionConfig, FusionTokenConfig } from './config.js';
import { diceCeLoss } from './dice-ce-loss.js';
import { type FusedBatch, fuseBatch } from './fuse-batch.js';
import type { FusionSettings } from './fusion-plan.js';

const isToken = (c: FusionConfig): c is FusionTokenConfig => 'warmupEpochs' in c;

/**
 * VolumeFusion (nnssl VolumeFusionTrainer, and its Primus form VolumeFusionEvaTrainer): pairs of images
 * are fused by random boxes, each box a class with its own mixing coefficient; the network segments the
 * class map; the loss is cross-entropy + soft Dice over all classes. ResEnc segments with its U-Net
 * decoder, Primus with its patch decoder, both to `classes` channels.
 * @see Wang et al., "Volume Fusion-based Self-Supervised Pretraining", 2023; nnssl-spec §3.7
 */
export class VolumeFusionMethod implements SSLMethod {
  readonly id = 'volume-fusion';
  readonly network: Architecture;

  constructor(private readonly ctx: SSLMethodContext<FusionConfig>) {
    const c = ctx.config;
    const token = buildsTokenNetworks(ctx.architecture);
    if (token !== isToken(c)) throw new OpenMindError(`VolumeFusion: the config does not fit architecture '${ctx.architecture.name}' (validate it with volumeFusionFactory.configSchema(architecture))`);
    if (c.boxCountMax <= c.boxCountMin) throw new OpenMindError(`VolumeFusion: boxCountMax (${c.boxCountMax}, exclusive) must exceed boxCountMin (${c.boxCountMin})`);
    const options = { inChannels: ctx.inChannels, outChannels: c.classes, patchSize: ctx.patchSize, rng: ctx.rng.fork() };
    this.network = token && isToken(c) && buildsTokenNetworks(ctx.architecture)
      ? ctx.architecture.createTokenNetwork(ctx.preset, { ...options, dropPathRate: c.dropPathRate })
      : ctx.architecture.create(ctx.preset, options);
  }

  get settings(): FusionSettings {
    const c = this.ctx.config;
    return { classes: c.classes, boxCount: [c.boxCountMin, c.boxCountMax], boxSizeMin: c.boxSizeMin, boxSizeFraction: c.boxSizeFraction };
  }

  /** Fuses the batch's images in pairs (first half foreground, second half background). */
  fuse(batch: HostBatch, rng: Rng): FusedBatch {
    return fuseBatch(batch, this.settings, rng);
  }

  /** Cross-entropy + soft Dice of the network's segmentation of the fused images against their class maps. */
  loss(batch: HostBatch, rng: Rng): Tensor {
    const f = this.fuse(batch, rng);
    const [p, , x, y, z] = f.shape;
    return diceCeLoss(this.network.forward(tensor(f.input, f.shape)), tensor(f.classMap, [p, x, y, z], { dtype: 'int32' }));
  }

  /**
   * The report's panels: the middle slice of the first fused input, its true class map and the predicted
   * one (argmax). A batch of one image is fused with its own copy mirrored along the first axis.
   */
  async reportPanels(batch: HostBatch, rng: Rng): Promise<ReportPanel[]> {
    const f = this.fuse(pairable(batch), rng);
    const [, c, x, y, z] = f.shape;
    const vox = x * y * z;
    const predicted = noGrad(() => tidy(() => argMax(this.network.forward(tensor(f.input.subarray(0, c * vox), [1, c, x, y, z])), 1)));
    const classes = Int32Array.from(await predicted.data());
    predicted.dispose();
    const [lo, hi] = displayWindow(f.input.subarray(0, vox));
    const top = this.ctx.config.classes - 1;
    return [
      { type: 'image', title: 'Fused input', caption: 'α·foreground + (1 − α)·background, middle slice', png: middleSlicePng(f.input.subarray(0, vox), [x, y, z], lo, hi) },
      { type: 'image', title: 'True class map', caption: `box classes 0 (background) … ${top} (foreground), black to white`, png: middleSlicePng(f.classMap.subarray(0, vox), [x, y, z], 0, top) },
      { type: 'image', title: 'Predicted class map', caption: 'argmax of the network output, same scale', png: middleSlicePng(classes, [x, y, z], 0, top) },
    ];
  }

  recipe(s: { epochs: number }): TrainingRecipe {
    const c = this.ctx.config;
    if (isToken(c)) {
      return {
        optimizer: new AdamW(this.network.parameters(), { lr: c.lr, betas: c.betas, weightDecay: c.weightDecay }),
        schedule: warmupPoly(c.lr, c.warmupEpochs, s.epochs), scheduleUnit: 'epoch', gradClip: c.gradClip,
      };
    }
    const g = c as FusionCnnConfig;
    return {
      optimizer: new SGD(this.network.parameters(), { lr: g.lr, momentum: g.momentum, nesterov: g.nesterov, weightDecay: g.weightDecay }),
      schedule: poly(g.lr, s.epochs), scheduleUnit: 'epoch', gradClip: g.gradClip,
    };
  }

  /** Crops of the network patch, each image augmented in the workers as nnssl does before fusing. */
  dataPipeline(): DataPipeline {
    return {
      loaderPatchSize: [...this.ctx.patchSize] as [number, number, number],
      ...(this.ctx.config.augment ? { augmentation: { module: '@openmind-ssl/augment', exportName: 'volumeFusionAugmentation', args: [] } } : {}),
    };
  }

  adaptationPlan(): AdaptationPlan {
    return adaptationPlanOf(this.network, this.ctx);
  }
}

/** An even batch: a single image paired with its mirror along the first spatial axis, an odd tail dropped. */
function pairable(batch: HostBatch): HostBatch {
  const [n, c, x, y, z] = batch.shape;
  if (n % 2 === 0) return batch;
  const per = c * x * y * z;
  if (n > 1) return { image: batch.image.subarray(0, (n - 1) * per), shape: [n - 1, c, x, y, z] };
  const image = new Float32Array(2 * per);
  image.set(batch.image.subarray(0, per));
  const yz = y * z;
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < x; i++) image.set(batch.image.subarray(ch * x * yz + (x - 1 - i) * yz, ch * x * yz + (x - i) * yz), per + ch * x * yz + i * yz);
  }
  return { image, shape: [2, c, x, y, z] };
}
