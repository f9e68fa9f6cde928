import { type ActiveVoxels, Conv3d, InstanceNorm3d, leakyRelu, Module, type Rng, type Tensor } from '@openmind-ssl/core';
import { samePadding, type Triple } from './config.js';

/** Options of one conv → norm (→ LeakyReLU) unit. */
export interface ConvNormActOptions {
  stride: Triple;
  bias: boolean;
  normEps: number;
  /** LeakyReLU slope; undefined = no nonlinearity (the second conv of a residual block, the skip projection). */
  negativeSlope: number | undefined;
  rng: Rng;
}

/**
 * DNA's ConvDropoutNormReLU without dropout: Conv3d with "same" padding → InstanceNorm3d (affine) →
 * LeakyReLU. Children are named `conv` and `norm` as in PyTorch; DNA also lists them again under
 * `all_modules.0/1`, which only exist as state-dict aliases here (torch-aliases.ts).
 */
export class ConvNormAct extends Module {
  readonly conv: Conv3d;
  readonly norm: InstanceNorm3d;

  constructor(
    inChannels: number,
    outChannels: number,
    kernel: Triple,
    readonly options: ConvNormActOptions,
  ) {
    super();
    this.conv = this.child(
      'conv',
      new Conv3d(inChannels, outChannels, kernel, { stride: options.stride, padding: samePadding(kernel), bias: options.bias, rng: options.rng }),
    );
    this.norm = this.child('norm', new InstanceNorm3d(outChannels, { eps: options.normEps, affine: true }));
  }

  /**
   * @param x [N, C_in, D, H, W] → [N, C_out, D/stride, H/stride, W/stride]
   * @param active run sparsely (SparK): the conv output is masked and the norm sees active voxels only
   */
  forward(x: Tensor, active?: ActiveVoxels): Tensor {
    const conv = this.conv.forward(x);
    const mask = active?.at(conv.shape.slice(2));
    const y = mask ? this.norm.forwardMasked(conv.mul(mask), mask) : this.norm.forward(conv);
    return this.options.negativeSlope === undefined ? y : leakyRelu(y, this.options.negativeSlope);
  }
}
