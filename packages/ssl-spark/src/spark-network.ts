import {
  type ActiveVoxels, type Architecture, Conv3d, type FeatureDecoder, Identity, InstanceNorm3d, type LayerModule, Module, ModuleList, type Rng,
  type SparseEncoder, type Tensor,
} from '@openmind-ssl/core';
import { MaskTokens } from './mask-tokens.js';

/** The network SparK trains: an architecture that encodes sparsely and decodes supplied features. */
export type SparkArchitecture = Architecture & SparseEncoder & FeatureDecoder;

/**
 * nnssl's SparK3D around a ResEnc U-Net: the encoder runs sparsely under the active mask, each stage's
 * output is densified — instance norm over the active voxels (no affine), the stage's mask token where
 * inactive, then a 3×3×3 projection with bias (none at stage 0) — and the architecture's own decoder
 * reconstructs the volume from the dense maps. The architecture's children are adopted under their own
 * names, so its keys (`encoder.*`, `decoder.*`) are the plain ResEnc keys, one tensor each; SparK's own
 * parameters are `mask_tokens.{s}` and `densify_projs.{s}.{weight,bias}` as in nnssl (nnssl-spec §4.5).
 * @see nnssl-spec §3.2
 */
export class SparkNetwork extends Module {
  readonly mask_tokens: MaskTokens;
  readonly densify_norms: ModuleList<InstanceNorm3d>;
  readonly densify_projs: ModuleList<LayerModule>;

  constructor(readonly architecture: SparkArchitecture, rng: Rng) {
    super();
    for (const [name, m] of architecture.namedChildren()) this.child(name, m);
    const channels = architecture.featureChannels;
    this.mask_tokens = this.child('mask_tokens', new MaskTokens(channels, rng));
    this.densify_norms = this.child('densify_norms', new ModuleList(channels.map((c) => new InstanceNorm3d(c, { affine: false }))));
    this.densify_projs = this.child(
      'densify_projs',
      new ModuleList<LayerModule>(channels.map((c, s) => (s === 0 ? new Identity() : new Conv3d(c, c, 3, { padding: 1, bias: true, rng })))),
    );
  }

  /**
   * Encoder features densified: per stage, normalised over its active voxels, the mask token where
   * inactive, projected. Dense stages (the bottleneck) are normalised over all voxels.
   * @param x [N, C, D, H, W] the encoder's input (masked or not, as the method decides)
   * @returns one dense map per stage, finest first
   */
  densified(x: Tensor, active: ActiveVoxels): Tensor[] {
    return this.architecture.encodeSparse(x, active).map((f, s) => {
      const mask = active.at(f.shape.slice(2));
      const norm = this.densify_norms.items[s]!;
      const filled = mask
        ? norm.forwardMasked(f, mask).add(this.mask_tokens.tokens[s]!.mul(mask.neg().add(1)))
        : norm.forward(f);
      return this.densify_projs.items[s]!.forward(filled);
    });
  }

  /**
   * The reconstruction [N, outChannels, D, H, W] of `x` seen through `active`.
   * @param x [N, C, D, H, W] the encoder's input
   */
  reconstruct(x: Tensor, active: ActiveVoxels): Tensor {
    return this.architecture.decodeFeatures(this.densified(x, active));
  }
}
