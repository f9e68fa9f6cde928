import { concat, Conv3d, ConvTranspose3d, Module, ModuleList, OpenMindError, type Rng, type Tensor } from '@openmind-ssl/core';
import type { ResolvedResEncConfig } from './config.js';
import { StackedConvBlocks } from './stacked-conv-blocks.js';

/**
 * DNA's UNetDecoder. Decoder stage s (s = 0 is the coarsest) upsamples the map below it with
 * `transpconvs[s]` (kernel = stride = the encoder stride it undoes), concatenates the encoder skip of
 * the same resolution (upsampled first, skip second), merges them with `stages[s]` (a StackedConvBlocks
 * from 2·C_skip to C_skip) and can emit logits through `seg_layers[s]` (1×1 conv with bias).
 * All seg layers are always built, so weights load whether or not deep supervision is on.
 */
export class UNetDecoder extends Module {
  readonly stages: ModuleList<StackedConvBlocks>;
  readonly transpconvs: ModuleList<ConvTranspose3d>;
  readonly seg_layers: ModuleList<Conv3d>;

  constructor(
    readonly config: ResolvedResEncConfig,
    readonly outChannels: number,
    readonly deepSupervision: boolean,
    rng: Rng,
  ) {
    super();
    const c = config;
    const n = c.nStages;
    const stages: StackedConvBlocks[] = [];
    const transpconvs: ConvTranspose3d[] = [];
    const segLayers: Conv3d[] = [];
    for (let s = 0; s < n - 1; s++) {
      const below = c.featuresPerStage[n - 1 - s]!;
      const skip = c.featuresPerStage[n - 2 - s]!;
      const stride = c.strideTriples[n - 1 - s]!;
      transpconvs.push(new ConvTranspose3d(below, skip, stride, { stride, bias: c.convBias, rng }));
      stages.push(
        new StackedConvBlocks(c.nConvPerStageDecoder[s]!, 2 * skip, skip, c.kernels[n - 2 - s]!, {
          initialStride: [1, 1, 1],
          bias: c.convBias,
          normEps: c.normEps,
          negativeSlope: c.negativeSlope,
          rng,
        }),
      );
      segLayers.push(new Conv3d(skip, outChannels, 1, { bias: true, rng }));
    }
    // Registration order is PyTorch's (stages, transpconvs, seg_layers), so state-dict order matches too.
    this.stages = this.child('stages', new ModuleList(stages));
    this.transpconvs = this.child('transpconvs', new ModuleList(transpconvs));
    this.seg_layers = this.child('seg_layers', new ModuleList(segLayers));
  }

  /**
   * @param skips the encoder stage outputs, finest first (bottleneck last).
   * @returns logits, largest resolution first: every decoder resolution with deep supervision, else only
   *   the full-resolution one ([N, outChannels, D, H, W]).
   */
  forward(skips: readonly Tensor[]): Tensor[] {
    const n = this.config.nStages;
    if (skips.length !== n) throw new OpenMindError(`UNetDecoder: expected ${n} encoder outputs, but got ${skips.length}.`);
    let x = skips[n - 1]!;
    const outs: Tensor[] = [];
    for (let s = 0; s < n - 1; s++) {
      const up = this.transpconvs.items[s]!.forward(x);
      x = this.stages.items[s]!.forward(concat([up, skips[n - 2 - s]!], 1));
      if (this.deepSupervision || s === n - 2) outs.push(this.seg_layers.items[s]!.forward(x));
    }
    return outs.reverse();
  }
}
