import { type Architecture, Module, randn, type Rng, type Tensor, tensor, type TokenNetwork } from '@openmind-ssl/core';

/**
 * nnssl's EvaSimMIM as a module: the architecture's own parts under their keys (`down_projection`, `eva`,
 * `up_projection` for Primus) and a learned `mask_token` [1, 1, width] ~ N(0, 10⁻⁶). There is no decoder
 * transformer: the architecture's patch decoder reconstructs the voxels.
 */
export class SimmimNetwork extends Module {
  readonly mask_token: Tensor;
  readonly tokens: number;

  constructor(readonly architecture: Architecture & TokenNetwork, rng: Rng) {
    super();
    // Adopting the children keeps the keys the adaptation plan names (eva.*, down_projection.*).
    for (const [name, m] of architecture.namedChildren()) this.child(name, m);
    const g = architecture.tokenGrid;
    this.tokens = g[0] * g[1] * g[2];
    this.mask_token = this.param('mask_token', randn([1, 1, architecture.tokenWidth], rng, { std: 1e-6 }));
  }

  /**
   * Embeds the full input, replaces the masked tokens by the mask token before the encoder adds its
   * position embedding (x·m + token·(1 − m)), encodes every token and decodes to voxels.
   * @param x [N, C, d, h, w] float32, the unmasked input
   * @param visible row-major [N, T] uint8, 1 = visible token
   * @returns [N, outChannels, d, h, w]
   */
  forward(x: Tensor, visible: Uint8Array, rng?: Rng): Tensor {
    const arch = this.architecture;
    const n = x.shape[0]!;
    const shape = [n, this.tokens, 1];
    const shownFlags = new Float32Array(visible);
    const hiddenFlags = new Float32Array(visible.length);
    for (let i = 0; i < visible.length; i++) hiddenFlags[i] = 1 - visible[i]!;
    const shown = tensor(shownFlags, shape, { engine: x.engine });
    const hidden = tensor(hiddenFlags, shape, { engine: x.engine });
    const mixed = arch.embedTokens(x).mul(shown).add(this.mask_token.mul(hidden));
    return arch.decodeTokens(arch.encodeTokens(mixed, rng ? { rng } : {}));
  }

  override dispose(): void {
    super.dispose();
    this.architecture.dispose();
  }
}
