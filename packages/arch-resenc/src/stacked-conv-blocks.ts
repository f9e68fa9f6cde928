import { type ActiveVoxels, Module, type Rng, Sequential, type Tensor } from '@openmind-ssl/core';
import type { Triple } from './config.js';
import { ConvNormAct } from './conv-norm-act.js';

/** Options shared by the convs of a StackedConvBlocks. */
export interface StackedConvBlocksOptions {
  /** Stride of the first conv (the others have stride 1). */
  initialStride: Triple;
  bias: boolean;
  normEps: number;
  negativeSlope: number;
  rng: Rng;
}

/**
 * DNA's StackedConvBlocks: `n` ConvNormAct units in a Sequential named `convs` (keys
 * `convs.0.conv.weight`, …). The encoder stem is one of these with a single conv, and so is every
 * decoder stage of ResEnc-L.
 */
export class StackedConvBlocks extends Module {
  readonly convs: Sequential;
  private readonly units: ConvNormAct[];

  constructor(n: number, inChannels: number, outChannels: number, kernel: Triple, options: StackedConvBlocksOptions) {
    super();
    const units = Array.from(
      { length: n },
      (_, i) =>
        new ConvNormAct(i === 0 ? inChannels : outChannels, outChannels, kernel, {
          stride: i === 0 ? options.initialStride : [1, 1, 1],
          bias: options.bias,
          normEps: options.normEps,
          negativeSlope: options.negativeSlope,
          rng: options.rng,
        }),
    );
    this.units = units;
    this.convs = this.child('convs', new Sequential(...units));
  }

  /** @param active run sparsely (SparK, see ConvNormAct) */
  forward(x: Tensor, active?: ActiveVoxels): Tensor {
    if (!active) return this.convs.forward(x);
    return this.units.reduce((y, unit) => unit.forward(y, active), x);
  }
}
