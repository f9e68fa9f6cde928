import { Module, Sequential, type Tensor } from '@openmind-ssl/core';
import { BasicBlockD, type BasicBlockDOptions } from './basic-block-d.js';
import type { Triple } from './config.js';

/**
 * DNA's StackedResidualBlocks: one encoder stage, its BasicBlockDs in a Sequential named `blocks`
 * (keys `blocks.0.conv1.conv.weight`, …). Only the first block strides and changes the channels.
 */
export class StackedResidualBlocks extends Module {
  readonly blocks: Sequential;

  constructor(n: number, inChannels: number, outChannels: number, kernel: Triple, options: BasicBlockDOptions) {
    super();
    const blocks = Array.from(
      { length: n },
      (_, i) => new BasicBlockD(i === 0 ? inChannels : outChannels, outChannels, kernel, { ...options, stride: i === 0 ? options.stride : [1, 1, 1] }),
    );
    this.blocks = this.child('blocks', new Sequential(...blocks));
  }

  forward(x: Tensor): Tensor {
    return this.blocks.forward(x);
  }
}
