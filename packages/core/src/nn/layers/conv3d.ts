import { conv3d, convTranspose3d, type Conv3DOptions } from '../../ops/conv.js';
import type { Rng } from '../../random/rng.js';
import { triple } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { OpenMindError } from '../../errors/openmind-error.js';
import { torchDefaultBias, torchDefaultWeight } from '../init.js';
import { type LoraOptions, LowRankAdapter } from '../lora/low-rank-adapter.js';
import { Module } from '../module.js';

export interface Conv3dOptions extends Conv3DOptions {
  /** Learn a bias (default true, as PyTorch). */
  bias?: boolean;
  /** Draws the initial weights (PyTorch's default initialisation). */
  rng: Rng;
}

/** 3D convolution layer: weight [out, in/groups, kd, kh, kw], bias [out]. */
export class Conv3d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;
  /** A low-rank residual beside the weight (LoRA), once {@link addAdapter} was called. */
  adapter: LowRankAdapter | undefined;
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number | readonly number[],
    readonly options: Conv3dOptions,
  ) {
    super();
    const k = triple(kernelSize, 'kernelSize');
    const shape = [outChannels, inChannels / (options.groups ?? 1), ...k];
    this.weight = this.param('weight', torchDefaultWeight(shape, options.rng));
    this.bias = options.bias === false ? undefined : this.param('bias', torchDefaultBias(outChannels, shape, options.rng));
  }

  /**
   * Adds a LoRA adapter (child `adapter`): a convolution in → r with this layer's kernel, stride, padding
   * and dilation, then 1×1×1 r → out, scaled by α / r and added to the output. Grouped convolutions are refused.
   */
  addAdapter(options: LoraOptions, rng: Rng): LowRankAdapter {
    if (this.adapter) throw new OpenMindError('Conv3d: this layer already has an adapter');
    if ((this.options.groups ?? 1) !== 1) throw new OpenMindError(`Conv3d: LoRA needs an ungrouped convolution, this one has groups ${this.options.groups}`);
    const kernel = triple(this.kernelSize, 'kernelSize') as [number, number, number];
    this.adapter = this.child('adapter', new LowRankAdapter({
      kind: 'conv3d', inChannels: this.inChannels, outChannels: this.outChannels, kernel,
      stride: this.options.stride ?? 1, padding: this.options.padding ?? 0, dilation: this.options.dilation ?? 1,
    }, options, rng));
    return this.adapter;
  }

  forward(x: Tensor): Tensor {
    const y = conv3d(x, this.weight, this.bias, this.options);
    return this.adapter ? y.add(this.adapter.forward(x)) : y;
  }
}

/** Transposed 3D convolution layer: weight [in, out/groups, kd, kh, kw], bias [out]. */
export class ConvTranspose3d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number | readonly number[],
    readonly options: Conv3dOptions & { outputPadding?: number | readonly number[] },
  ) {
    super();
    const k = triple(kernelSize, 'kernelSize');
    const shape = [inChannels, outChannels / (options.groups ?? 1), ...k];
    this.weight = this.param('weight', torchDefaultWeight(shape, options.rng));
    this.bias = options.bias === false ? undefined : this.param('bias', torchDefaultBias(outChannels, shape, options.rng));
  }

  forward(x: Tensor): Tensor {
    return convTranspose3d(x, this.weight, this.bias, this.options);
  }
}
