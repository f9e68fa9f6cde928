import { type ActiveVoxels, Module, type Rng, Sequential, type StageMaskHook, type Tensor } from '@openmind-ssl/core';
import type { ResolvedResEncConfig } from './config.js';
import { StackedConvBlocks } from './stacked-conv-blocks.js';
import { StackedResidualBlocks } from './stacked-residual-blocks.js';

/**
 * DNA's ResidualEncoder (with `return_skips=True`): a stem (one conv → norm → LReLU at full resolution,
 * key prefix `stem`) followed by `stages`, a Sequential of StackedResidualBlocks (key prefix
 * `stages.{s}.blocks.{b}`). Each stage's first block downsamples by that stage's stride.
 */
export class ResidualEncoder extends Module {
  readonly stem: StackedConvBlocks;
  readonly stages: Sequential;
  private readonly stageList: StackedResidualBlocks[];

  constructor(
    readonly inChannels: number,
    readonly config: ResolvedResEncConfig,
    rng: Rng,
  ) {
    super();
    const c = config;
    const common = { bias: c.convBias, normEps: c.normEps, negativeSlope: c.negativeSlope, rng };
    const f = c.featuresPerStage;
    this.stem = this.child('stem', new StackedConvBlocks(1, inChannels, f[0]!, c.kernels[0]!, { ...common, initialStride: [1, 1, 1] }));
    this.stageList = f.map(
      (cout, s) => new StackedResidualBlocks(c.nBlocksPerStage[s]!, s === 0 ? f[0]! : f[s - 1]!, cout, c.kernels[s]!, { ...common, stride: c.strideTriples[s]! }),
    );
    this.stages = this.child('stages', new Sequential(...this.stageList));
  }

  /**
   * @param x [N, C_in, D, H, W], each spatial size divisible by the product of the strides.
   * @param afterStage called with each stage's output; its result is that stage's output and the next
   *   stage's input (SparK re-masks here).
   * @param active run sparsely (SparK): every conv and pooling is followed by the active mask at its
   *   resolution and every norm takes statistics over active voxels only.
   * @returns the output of every stage, finest first (stage s has featuresPerStage[s] channels).
   */
  forward(x: Tensor, afterStage?: StageMaskHook, active?: ActiveVoxels): Tensor[] {
    const outs: Tensor[] = [];
    let h = this.stem.forward(x, active);
    for (const [s, stage] of this.stageList.entries()) {
      h = stage.forward(h, active);
      if (afterStage) h = afterStage(s, h);
      outs.push(h);
    }
    return outs;
  }
}
