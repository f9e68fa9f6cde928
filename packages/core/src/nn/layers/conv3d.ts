import { conv3d, convTranspose3d, type Conv3DOptions } from '../../ops/conv.js';
import type { Rng } from '../../random/rng.js';
import { triple } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { torchDefaultBias, torchDefaultWeight } from '../init.js';
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

  forward(x: Tensor): Tensor {
    return conv3d(x, this.weight, this.bias, this.options);
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
