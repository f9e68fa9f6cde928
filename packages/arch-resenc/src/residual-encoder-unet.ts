import {
  type ActiveVoxels, type Architecture, type FeatureDecoder, Module, OpenMindError, type Rng, type SparseEncoder, type StageHookEncoder, type StageMaskHook, type Tensor,
} from '@openmind-ssl/core';
import { resEncArchitecturePlans, type ArchitecturePlans } from './architecture-plans.js';
import { resolveResEncConfig, totalStride, type ResEncConfig, type ResolvedResEncConfig, type Triple } from './config.js';
import { applyHeInit, type ResEncInit } from './init.js';
import { ResidualEncoder } from './residual-encoder.js';
import { UNetDecoder } from './unet-decoder.js';

/** Construction options of a ResidualEncoderUNet. */
export interface ResidualEncoderUNetOptions {
  inChannels: number;
  outChannels: number;
  rng: Rng;
  /** Build only the encoder: no decoder parameters; `forward` returns the bottleneck, `encode` every stage. */
  encoderOnly?: boolean;
  /** Compute logits at every decoder resolution (see `forwardDeepSupervision`). */
  deepSupervision?: boolean;
  /** Weight initialisation (default 'pytorch', what nnssl pre-training uses). */
  init?: ResEncInit;
  /** nnssl arch_class_name (default 'ResidualEncoderUNet'; the resenc-l preset says 'ResEncL'). */
  archClassName?: string;
}

/**
 * The Residual Encoder U-Net of dynamic-network-architectures (`ResidualEncoderUNet`), the CNN of
 * nnssl/OpenMind (ResEnc-L). State-dict keys are PyTorch's (`encoder.stem.convs.0.conv.weight`,
 * `encoder.stages.1.blocks.0.skip.1.conv.weight`, `decoder.transpconvs.0.weight`, …) without DNA's
 * duplicate alias keys; torch-aliases.ts converts to and from the full PyTorch key set.
 */
export class ResidualEncoderUNet extends Module implements Architecture, StageHookEncoder, SparseEncoder, FeatureDecoder {
  readonly encoder: ResidualEncoder;
  readonly decoder: UNetDecoder | undefined;
  readonly config: ResolvedResEncConfig;
  readonly keyToEncoder = 'encoder.stages';
  readonly keyToStem = 'encoder.stem';
  /** The stem conv, under its canonical name and under the alias nnssl writes into adaptation plans. */
  readonly keysToInProj: readonly string[] = ['encoder.stem.convs.0.conv', 'encoder.stem.convs.0.all_modules.0'];
  readonly archClassName: string;
  /** nnssl's arch_kwargs: null for 'ResEncL', the DynamicArchitecturePlans fields otherwise. */
  readonly archKwargs: Record<string, unknown> | null;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly encoderOnly: boolean;
  readonly featureChannels: readonly number[];
  /** Total stride of each stage's output: the running product of the stage strides. */
  readonly featureStrides: readonly Triple[];

  constructor(config: ResEncConfig, options: ResidualEncoderUNetOptions) {
    super();
    if (!Number.isInteger(options.inChannels) || options.inChannels < 1 || !Number.isInteger(options.outChannels) || options.outChannels < 1) {
      throw new OpenMindError(
        `ResidualEncoderUNet: inChannels and outChannels must be positive integers, but got ${options.inChannels} and ${options.outChannels}.`,
      );
    }
    this.config = resolveResEncConfig(config);
    this.inChannels = options.inChannels;
    this.outChannels = options.outChannels;
    this.encoderOnly = options.encoderOnly ?? false;
    this.featureChannels = [...this.config.featuresPerStage];
    let total: Triple = [1, 1, 1];
    this.featureStrides = this.config.strideTriples.map((s) => (total = [total[0] * s[0], total[1] * s[1], total[2] * s[2]]));
    this.archClassName = options.archClassName ?? 'ResidualEncoderUNet';
    this.archKwargs = this.architecturePlans().arch_kwargs;
    this.encoder = this.child('encoder', new ResidualEncoder(options.inChannels, this.config, options.rng));
    this.decoder = this.encoderOnly
      ? undefined
      : this.child('decoder', new UNetDecoder(this.config, options.outChannels, options.deepSupervision ?? false, options.rng));
    if ((options.init ?? 'pytorch') === 'he') applyHeInit(this, options.rng);
  }

  /** The `architecture_plans` block of nnssl's adaptation plan for this network. */
  architecturePlans(): ArchitecturePlans {
    return resEncArchitecturePlans(this.config, this.archClassName);
  }

  /** Input sizes must be multiples of this per axis (the product of all strides). */
  get sizeDivisor(): Triple {
    return totalStride(this.config);
  }

  /**
   * Encoder feature maps.
   * @param x [N, inChannels, D, H, W] float32, D/H/W divisible by `sizeDivisor`.
   * @returns one map per stage, finest first: [N, featuresPerStage[s], D/∏strides, …].
   * @throws OpenMindError for a wrong rank, channel count or spatial size.
   */
  encode(x: Tensor): Tensor[] {
    this.checkInput(x);
    return this.encoder.forward(x);
  }

  /**
   * Encoder feature maps with `afterStage` applied to each stage's output before the next stage reads it
   * (core's StageMaskHook; SparK re-applies its mask there). Shapes as `encode`.
   */
  encodeWithStageHook(x: Tensor, afterStage: StageMaskHook): Tensor[] {
    this.checkInput(x);
    return this.encoder.forward(x, afterStage);
  }

  /**
   * Encoder feature maps computed sparsely (core's SparseEncoder, SparK): after every convolution (stem,
   * residual blocks, skip projections) and the skip's average pooling the features are multiplied by
   * `active` at that resolution, and every instance norm takes its statistics over active voxels only.
   * Resolutions where `active` says dense run as in `encode`. Shapes as `encode`.
   */
  encodeSparse(x: Tensor, active: ActiveVoxels): Tensor[] {
    this.checkInput(x);
    return this.encoder.forward(x, undefined, active);
  }

  /**
   * The decoder on caller-supplied encoder features (core's FeatureDecoder; SparK's densified maps).
   * @param features one map per stage, finest first, shaped as `encode` returns them
   * @returns full-resolution logits [N, outChannels, D, H, W]
   * @throws OpenMindError in encoder-only mode or for maps of the wrong count or channels
   */
  decodeFeatures(features: readonly Tensor[]): Tensor {
    if (!this.decoder) throw new OpenMindError('ResidualEncoderUNet: decodeFeatures needs a decoder, but the network was built with encoderOnly.');
    const bad = features.findIndex((f, s) => f.rank !== 5 || f.shape[1] !== this.featureChannels[s]);
    if (features.length !== this.featureChannels.length || bad >= 0) {
      throw new OpenMindError(
        `ResidualEncoderUNet: decodeFeatures needs ${this.featureChannels.length} maps [N, C_s, …] with C_s = [${this.featureChannels.join(', ')}], but got [${features.map((f) => `[${f.shape.join(', ')}]`).join(', ')}].`,
      );
    }
    return this.decoder.forward(features)[0]!;
  }

  /**
   * Full-resolution logits [N, outChannels, D, H, W]; in encoder-only mode the bottleneck map instead.
   * @param x [N, inChannels, D, H, W] float32.
   */
  forward(x: Tensor): Tensor {
    const skips = this.encode(x);
    if (!this.decoder) return skips[skips.length - 1]!;
    return this.decoder.forward(skips)[0]!;
  }

  /**
   * Logits at every decoder resolution, largest first (only the full-resolution one unless the network
   * was built with `deepSupervision`).
   * @throws OpenMindError in encoder-only mode.
   */
  forwardDeepSupervision(x: Tensor): Tensor[] {
    if (!this.decoder) throw new OpenMindError('ResidualEncoderUNet: forwardDeepSupervision needs a decoder, but the network was built with encoderOnly.');
    return this.decoder.forward(this.encode(x));
  }

  private checkInput(x: Tensor): void {
    const shape = x.shape;
    if (shape.length !== 5 || shape[1] !== this.inChannels) {
      throw new OpenMindError(`ResidualEncoderUNet: input must be [N, ${this.inChannels}, D, H, W], but got [${shape.join(', ')}].`);
    }
    const div = this.sizeDivisor;
    if (shape.slice(2).some((d, i) => d % div[i]! !== 0)) {
      throw new OpenMindError(
        `ResidualEncoderUNet: spatial size [${shape.slice(2).join(', ')}] must be divisible by the total stride [${div.join(', ')}].`,
      );
    }
  }
}
