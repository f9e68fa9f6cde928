import { type ActiveVoxels, AvgPool3d, leakyRelu, Module, type LayerModule, type Rng, Sequential, type Tensor } from '@openmind-ssl/core';
import { isStrided, type Triple } from './config.js';
import { ConvNormAct } from './conv-norm-act.js';

/** Options of one residual block. */
export interface BasicBlockDOptions {
  stride: Triple;
  bias: boolean;
  normEps: number;
  negativeSlope: number;
  rng: Rng;
}

/**
 * DNA's BasicBlockD (ResNet-D): conv1 = conv(k, stride) → norm → LReLU, conv2 = conv(k) → norm,
 * out = LReLU(conv2(conv1(x)) + skip(x)). The skip average-pools (kernel = stride = stride) when the
 * block downsamples, then projects with a 1×1 conv without bias + norm when the channels change; it is
 * the identity when neither applies. Pooling before the 1×1 conv is what makes it ResNet-D: the
 * projection sees every input voxel instead of one in stride³.
 * @see He et al., "Bag of Tricks for Image Classification with CNNs", CVPR 2019.
 */
export class BasicBlockD extends Module {
  readonly conv1: ConvNormAct;
  readonly conv2: ConvNormAct;
  /** undefined = identity skip. */
  readonly skip: Sequential | undefined;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernel: Triple,
    readonly options: BasicBlockDOptions,
  ) {
    super();
    const common = { bias: options.bias, normEps: options.normEps, rng: options.rng };
    this.conv1 = this.child('conv1', new ConvNormAct(inChannels, outChannels, kernel, { ...common, stride: options.stride, negativeSlope: options.negativeSlope }));
    this.conv2 = this.child('conv2', new ConvNormAct(outChannels, outChannels, kernel, { ...common, stride: [1, 1, 1], negativeSlope: undefined }));
    const ops: LayerModule[] = [];
    if (isStrided(options.stride)) ops.push(new AvgPool3d({ kernelSize: options.stride, stride: options.stride }));
    if (inChannels !== outChannels) {
      ops.push(new ConvNormAct(inChannels, outChannels, [1, 1, 1], { ...common, bias: false, stride: [1, 1, 1], negativeSlope: undefined }));
    }
    this.skip = ops.length > 0 ? this.child('skip', new Sequential(...ops)) : undefined;
  }

  /**
   * @param x [N, C_in, D, H, W] → [N, C_out, D/stride, H/stride, W/stride]
   * @param active run sparsely (SparK): every conv and the pooling are followed by the active mask, norms
   *   see active voxels only; the sum and LeakyReLU keep inactive voxels at 0
   */
  forward(x: Tensor, active?: ActiveVoxels): Tensor {
    const residual = this.skip ? this.skipForward(x, active) : x;
    return leakyRelu(this.conv2.forward(this.conv1.forward(x, active), active).add(residual), this.options.negativeSlope);
  }

  private skipForward(x: Tensor, active: ActiveVoxels | undefined): Tensor {
    if (!active) return this.skip!.forward(x);
    let y = x;
    for (const op of this.skip!.layers) {
      if (op instanceof ConvNormAct) {
        y = op.forward(y, active);
      } else {
        y = op.forward(y);
        const mask = active.at(y.shape.slice(2));
        if (mask) y = y.mul(mask);
      }
    }
    return y;
  }
}
