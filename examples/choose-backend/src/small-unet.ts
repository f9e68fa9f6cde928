import {
  concat, Conv3d, ConvTranspose3d, InstanceNorm3d, leakyRelu, Module, type Rng, type Tensor,
} from '@openmind-ssl/core';

/** conv → norm → leaky ReLU, the unit every block below is made of. */
class ConvBlock extends Module {
  readonly conv: Conv3d;
  readonly norm: InstanceNorm3d;
  constructor(cin: number, cout: number, stride: number, rng: Rng) {
    super();
    this.conv = this.child('conv', new Conv3d(cin, cout, 3, { stride, padding: 1, rng }));
    this.norm = this.child('norm', new InstanceNorm3d(cout));
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(this.norm.forward(this.conv.forward(x)));
  }
}

/**
 * A two-level 3D U-Net, written once against core's Tensor API; the same code runs on every backend.
 * [N, 1, D, H, W] → [N, 1, D, H, W] (D, H, W even).
 */
export class SmallUNet extends Module {
  readonly enc: ConvBlock;
  readonly down: ConvBlock;
  readonly up: ConvTranspose3d;
  readonly dec: ConvBlock;
  readonly out: Conv3d;
  constructor(width: number, rng: Rng) {
    super();
    this.enc = this.child('enc', new ConvBlock(1, width, 1, rng));
    this.down = this.child('down', new ConvBlock(width, 2 * width, 2, rng));
    this.up = this.child('up', new ConvTranspose3d(2 * width, width, 2, { stride: 2, rng }));
    this.dec = this.child('dec', new ConvBlock(2 * width, width, 1, rng));
    this.out = this.child('out', new Conv3d(width, 1, 1, { rng }));
  }
  forward(x: Tensor): Tensor {
    const skip = this.enc.forward(x);
    const deep = this.down.forward(skip);
    return this.out.forward(this.dec.forward(concat([this.up.forward(deep), skip], 1)));
  }
}
