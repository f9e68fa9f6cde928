import { Module, type Rng, type Tensor, truncatedNormal } from '@openmind-ssl/core';

/**
 * One learned token per encoder stage, [1, C_s, 1, 1, 1], that fills the inactive voxels when the sparse
 * features are densified (nnssl's `mask_tokens`, a ParameterList: keys `mask_tokens.{s}`), drawn from
 * trunc_normal(0, 0.02) cut at ±0.02 as in nnssl.
 */
export class MaskTokens extends Module {
  readonly tokens: Tensor[];

  constructor(channels: readonly number[], rng: Rng) {
    super();
    this.tokens = channels.map((c, s) => this.param(String(s), truncatedNormal([1, c, 1, 1, 1], rng, 0.02, 0, -0.02, 0.02)));
  }
}
