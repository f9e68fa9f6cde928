import { type Architecture, Conv3d, instanceNorm, interpolate, leakyRelu, Linear, Module, ModuleList, OpenMindError, type Rng, type Tensor } from '@openmind-ssl/core';

/** Conv3d(k3, p1) → InstanceNorm (no affine) → LeakyReLU(0.01) → trilinear ×2 upsampling. */
class UpBlock extends Module {
  private readonly conv: Conv3d;
  constructor(inChannels: number, outChannels: number, rng: Rng) {
    super();
    this.conv = this.child('conv', new Conv3d(inChannels, outChannels, 3, { padding: 1, rng }));
  }

  forward(x: Tensor): Tensor {
    const y = leakyRelu(instanceNorm(this.conv.forward(x)), 0.01);
    return interpolate(y, { scaleFactor: 2, mode: 'trilinear', alignCorners: false });
  }
}

/**
 * The reconstruction head of nnssl's SwinUNETR architectures: one UpBlock per halving of the encoder's last
 * feature map, then Conv3d(k3) to the image channels. Channels: the encoder's stage widths in reverse for
 * a CNN (ResEnc-L: 320→320→256→128→64→32, 5 upsamplings), halving per block for a single-map token encoder
 * (Primus-M: 864→432→216→108, 3 upsamplings).
 * @see nnssl-spec §3.9, §4.7
 */
export class ReconstructionHead extends Module {
  readonly blocks: ModuleList<UpBlock>;
  readonly out: Conv3d;
  constructor(channels: readonly number[], outChannels: number, rng: Rng) {
    super();
    this.blocks = this.child('blocks', new ModuleList(channels.slice(1).map((c, i) => new UpBlock(channels[i]!, c, rng))));
    this.out = this.child('out', new Conv3d(channels.at(-1)!, outChannels, 3, { padding: 1, rng }));
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const b of this.blocks.items) y = b.forward(y);
    return this.out.forward(y);
  }
}

/** What the three heads make of a batch. */
export interface SwinOutputs {
  /** [N, 4] rotation logits (token 0). */
  rotation: Tensor;
  /** [N, contrastDim] contrastive embedding (token 1). */
  contrast: Tensor;
  /** [N, C, d, h, w] the reconstructed (rotated, uncut) image. */
  reconstruction: Tensor;
}

/**
 * nnssl's SwinUNETRArchitecture: the encoder-only network (children adopted under their own keys, so the
 * adaptation plan's keys hold), and on its last feature map, flattened to tokens in (d, h, w) order, a
 * rotation head Linear(C, 4) on token 0, a contrastive head Linear(C, contrastDim) on token 1, and the
 * reconstruction head.
 */
export class SwinunetrNetwork extends Module {
  readonly rotation_head: Linear;
  readonly contrastive_head: Linear;
  readonly reconstruction_head: ReconstructionHead;

  constructor(readonly architecture: Architecture, o: { contrastDim: number; outChannels: number; rng: Rng }) {
    super();
    for (const [name, m] of architecture.namedChildren()) this.child(name, m);
    const widths = architecture.featureChannels;
    const c = widths.at(-1)!;
    const stride = architecture.featureStrides.at(-1)!;
    const ups = Math.log2(stride[0]);
    if (!Number.isInteger(ups) || stride.some((s) => s !== stride[0])) {
      throw new OpenMindError(`SwinUNETR: the encoder's last feature map must have one power-of-two stride on every axis, but it has [${stride.join(', ')}].`);
    }
    const channels = widths.length === ups + 1 ? [...widths].reverse() : Array.from({ length: ups + 1 }, (_, i) => Math.max(1, Math.round(c / 2 ** i)));
    this.rotation_head = this.child('rotation_head', new Linear(c, 4, { rng: o.rng }));
    this.contrastive_head = this.child('contrastive_head', new Linear(c, o.contrastDim, { rng: o.rng }));
    this.reconstruction_head = this.child('reconstruction_head', new ReconstructionHead(channels, o.outChannels, o.rng));
  }

  /** @param x [N, C, d, h, w] */
  heads(x: Tensor): SwinOutputs {
    const f = this.architecture.encode(x).at(-1)!;
    const [n, c] = f.shape as [number, number];
    const tokens = f.reshape([n, c, -1]);
    const token = (t: number) => tokens.slice([0, 0, t], [n, c, 1]).reshape([n, c]);
    return {
      rotation: this.rotation_head.forward(token(0)),
      contrast: this.contrastive_head.forward(token(1)),
      reconstruction: this.reconstruction_head.forward(f),
    };
  }

  forward(x: Tensor): Tensor {
    return this.heads(x).reconstruction;
  }

  override dispose(): void {
    super.dispose();
    this.architecture.dispose();
  }
}
