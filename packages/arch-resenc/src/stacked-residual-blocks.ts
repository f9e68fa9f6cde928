import { type ActiveVoxels, Module, Sequential, type Tensor } from '@openmind-ssl/core';
import { BasicBlockD, type BasicBlockDOptions } from './basic-block-d.js';
import type { Triple } from './config.js';

/**
 * DNA's StackedResidualBlocks: one encoder stage, its BasicBlockDs in a Sequential named `blocks`
 * (keys `blocks.0.conv1.conv.weight`, …). Only the first block strides and changes the channels.
 */
export class StackedResidualBlocks extends Module {
  readonly blocks: Sequential;
  private readonly blockList: BasicBlockD[];

  constructor(n: number, inChannels: number, outChannels: number, kernel: Triple, options: BasicBlockDOptions) {
    super();
    const blocks = Array.from(
      { length: n },
      (_, i) => new BasicBlockD(i === 0 ? inChannels : outChannels, outChannels, kernel, { ...options, stride: i === 0 ? options.stride : [1, 1, 1] }),
    );
    this.blockList = blocks;
    this.blocks = this.child('blocks', new Sequential(...blocks));
  }

  /** @param active run sparsely (SparK, see BasicBlockD) */
  forward(x: Tensor, active?: ActiveVoxels): Tensor {
    if (!active) return this.blocks.forward(x);
    return this.blockList.reduce((y, block) => block.forward(y, active), x);
  }
}
