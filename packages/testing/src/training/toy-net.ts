import {
  Conv3d, InstanceNorm3d, LeakyReLU, Module, Rng, type Tensor,
} from '@openmind-ssl/core';

/** The smallest network that exercises the ResEnc building blocks: conv → norm → leaky ReLU → conv. */
export class ToyConvNet extends Module {
  readonly conv1: Conv3d;
  readonly norm: InstanceNorm3d;
  readonly act: LeakyReLU;
  readonly conv2: Conv3d;

  constructor(seed = 0, channels = 4) {
    super();
    const rng = new Rng(seed);
    this.conv1 = this.child('conv1', new Conv3d(1, channels, 3, { padding: 1, rng }));
    this.norm = this.child('norm', new InstanceNorm3d(channels));
    this.act = this.child('act', new LeakyReLU());
    this.conv2 = this.child('conv2', new Conv3d(channels, 1, 3, { padding: 1, rng }));
  }

  forward(x: Tensor): Tensor {
    return this.conv2.forward(this.act.forward(this.norm.forward(this.conv1.forward(x))));
  }
}
