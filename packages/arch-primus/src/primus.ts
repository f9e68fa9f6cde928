import {
  type AdaptationPlan, type Architecture, type AttentionOptions, heInit, Module, OpenMindError, type Rng, type Tensor, type TokenNetwork,
  type TokenTransformerOptions, zeros,
} from '@openmind-ssl/core';
import { checkPrimusConfig, type PrimusConfig, tokenGridOf, type Triple } from './config.js';
import { Eva, type EvaForwardOptions } from './eva.js';
import { PatchDecode } from './patch-decode.js';
import { PatchEmbed } from './patch-embed.js';
import { PRIMUS_PRESETS } from './presets.js';
import { tokenFlagsToVoxels, tokensToVolume, volumeToTokens } from './token-layout.js';

/** Construction options of a Primus network. */
export interface PrimusOptions {
  inChannels: number;
  outChannels: number;
  /** Network input [d, h, w]; multiples of the token size. Sizes the position embedding and RoPE table. */
  patchSize: readonly [number, number, number];
  rng: Rng;
  /** Stochastic depth of the last EVA block (DNA default 0; nnssl's MAE uses 0.2). */
  dropPathRate?: number;
  /** Build no up_projection: `forward` returns the token volume [N, embedDim, D', H', W']. */
  encoderOnly?: boolean;
  /** nnssl arch_class_name (default 'Primus'; the S/B/M/L presets say 'PrimusS' … 'PrimusL'). */
  archClassName?: string;
  /** Score-block budget of every attention (see core's scaledDotProductAttention). */
  attention?: AttentionOptions;
}

/**
 * Primus (DNA `Primus`, arXiv 2503.01835): PatchEmbed (Conv3d, kernel = stride = token size) → tokens in
 * this package's order (token-layout.ts) → EVA transformer with absolute and 3D rotary position embedding
 * → PatchDecode (transposed convs with channel LayerNorm and GELU). State-dict keys are DNA's:
 * `down_projection.proj.*`, `up_projection.decode.*`, `eva.pos_embed`, `eva.blocks.{i}.*`, `eva.norm.*` and
 * the persistent zero buffer `mask_token`. Projections get nnU-Net's He init, the EVA timm's init.
 *
 * It is core's TokenNetwork: token-level methods (MAE with token dropping) use `embedTokens`,
 * `encodeTokens`, `decodeTokens` and `createTokenTransformer` instead of `forward`.
 */
export class Primus extends Module implements Architecture, TokenNetwork {
  readonly down_projection: PatchEmbed;
  readonly up_projection: PatchDecode | undefined;
  readonly eva: Eva;
  readonly mask_token: Tensor;
  readonly config: PrimusConfig;
  readonly tokenGrid: Triple;
  readonly patchSize: Triple;
  readonly inChannels: number;
  readonly outChannels: number;
  /** `encode` returns one map, the token volume of width embedDim. */
  readonly featureChannels: readonly number[];
  /** The token volume's stride: the token size. */
  readonly featureStrides: readonly Triple[];
  readonly keyToEncoder = 'eva';
  readonly keyToStem = 'down_projection';
  readonly keysToInProj: readonly string[] = ['down_projection.proj'];
  readonly keyToLpe = 'eva.pos_embed';
  readonly archClassName: string;
  readonly archKwargs: Record<string, unknown> | null;
  private readonly attention: AttentionOptions | undefined;

  constructor(config: PrimusConfig, o: PrimusOptions) {
    super();
    if (![o.inChannels, o.outChannels].every((c) => Number.isInteger(c) && c >= 1)) {
      throw new OpenMindError(`Primus: inChannels and outChannels must be positive integers, but got ${o.inChannels} and ${o.outChannels}.`);
    }
    this.config = checkPrimusConfig(config);
    this.tokenGrid = tokenGridOf(o.patchSize, config.patchEmbedSize);
    this.patchSize = [o.patchSize[0], o.patchSize[1], o.patchSize[2]];
    this.inChannels = o.inChannels;
    this.outChannels = o.outChannels;
    this.attention = o.attention;
    this.featureChannels = [config.embedDim];
    this.featureStrides = [config.patchEmbedSize];
    this.archClassName = o.archClassName ?? 'Primus';
    checkNamedPreset(this.archClassName, config);
    this.archKwargs = this.archClassName === 'Primus' ? primusArchKwargs(config) : null;
    const rng = o.rng;
    // Registration order is DNA's, so state-dict keys come out in PyTorch's order.
    this.down_projection = this.child('down_projection', new PatchEmbed(config.patchEmbedSize, o.inChannels, config.embedDim, rng));
    this.up_projection = o.encoderOnly ? undefined : this.child('up_projection', new PatchDecode(config.patchEmbedSize, config.embedDim, o.outChannels, rng));
    this.eva = this.child('eva', new Eva({ ...config, tokenGrid: this.tokenGrid, dropPathRate: o.dropPathRate ?? 0, rng: rng.fork(), ...(o.attention ? { attention: o.attention } : {}) }));
    this.mask_token = this.buffer('mask_token', zeros([1, 1, config.embedDim]));
    heInit(this.down_projection, rng, 1e-2);
    if (this.up_projection) heInit(this.up_projection, rng, 1e-2);
  }

  get embedDim(): number {
    return this.config.embedDim;
  }

  /** TokenNetwork's name for the token width (= embedDim). */
  get tokenWidth(): number {
    return this.config.embedDim;
  }

  get numHeads(): number {
    return this.config.numHeads;
  }

  /** Voxels per token [pd, ph, pw]. */
  get tokenPatch(): Triple {
    return this.config.patchEmbedSize;
  }

  /**
   * Patch embedding, flattened to tokens.
   * @param x [N, inChannels, d, h, w] at the built patch size
   * @returns [N, T, embedDim]
   */
  embedTokens(x: Tensor): Tensor {
    const want = [this.inChannels, ...this.patchSize];
    if (x.rank !== 5 || x.shape.slice(1).some((s, i) => s !== want[i])) {
      throw new OpenMindError(`Primus: input must be [N, ${want.join(', ')}] (the patch size it was built for), but got [${x.shape.join(', ')}].`);
    }
    return volumeToTokens(this.down_projection.forward(x));
  }

  /** The EVA encoder over tokens, optionally keeping a subset (see Eva.forward). */
  encodeTokens(tokens: Tensor, options: EvaForwardOptions = {}): Tensor {
    return this.eva.forward(tokens, options);
  }

  /**
   * Tokens back to a volume and through PatchDecode.
   * @param tokens [N, T, embedDim] → [N, outChannels, d, h, w]
   */
  decodeTokens(tokens: Tensor): Tensor {
    const volume = tokensToVolume(tokens, this.tokenGrid);
    return this.up_projection ? this.up_projection.forward(volume) : volume;
  }

  /**
   * Expands one value per token (row-major [N, T], e.g. 1 = dropped) to the voxels each token covers,
   * in this package's token order: the map a token-level loss mask needs.
   * @returns row-major [N, 1, d, h, w]
   */
  tokenFlagsToVoxels(flags: ArrayLike<number>, n: number): Float32Array {
    return tokenFlagsToVoxels(flags, n, this.tokenGrid, this.config.patchEmbedSize);
  }

  /** Full network: [N, inChannels, d, h, w] → [N, outChannels, d, h, w] (encoder-only: the token volume). */
  forward(x: Tensor): Tensor {
    return this.decodeTokens(this.encodeTokens(this.embedTokens(x)));
  }

  /** The encoder's output as one feature map [N, embedDim, D', H', W']. */
  encode(x: Tensor): Tensor[] {
    return [tokensToVolume(this.encodeTokens(this.embedTokens(x)), this.tokenGrid)];
  }

  /** A new EVA over this network's token grid and width (same block design), e.g. an MAE decoder. */
  createTokenTransformer(o: TokenTransformerOptions): Eva {
    return new Eva({
      ...this.config,
      depth: o.depth,
      numHeads: o.numHeads ?? this.config.numHeads,
      tokenGrid: this.tokenGrid,
      dropPathRate: o.dropPathRate ?? 0,
      rng: o.rng,
      ...(this.attention ? { attention: this.attention } : {}),
    });
  }

  /** The `architecture_plans` block of nnssl's adaptation plan for this network. */
  architecturePlans(): AdaptationPlan['architecture_plans'] {
    return { arch_class_name: this.archClassName, arch_kwargs: this.archKwargs, arch_kwargs_requiring_import: this.archKwargs ? [] : null };
  }
}

/** A named nnssl class stands for its architecture downstream, so it must really be that config. */
function checkNamedPreset(archClassName: string, c: PrimusConfig): void {
  if (archClassName === 'Primus') return;
  const preset = Object.values(PRIMUS_PRESETS).find((p) => p.archClassName === archClassName);
  const same = (a: PrimusConfig, b: PrimusConfig) => JSON.stringify(primusArchKwargs(a)) === JSON.stringify(primusArchKwargs(b));
  if (!preset || !same(preset.config, c)) {
    throw new OpenMindError(
      `Primus: archClassName '${archClassName}' must be one of PrimusS, PrimusB, PrimusM, PrimusL with exactly that preset's config, or 'Primus' for any other config.`,
    );
  }
}

/** DNA `Primus` constructor arguments for configs that are not one of nnssl's named presets. */
export function primusArchKwargs(c: PrimusConfig): Record<string, unknown> {
  return {
    embed_dim: c.embedDim,
    patch_embed_size: [...c.patchEmbedSize],
    eva_depth: c.depth,
    eva_numheads: c.numHeads,
    mlp_ratio: c.mlpRatio,
    init_values: c.initValues ?? null,
    scale_attn_inner: c.scaleAttnInner,
    use_rot_pos_emb: c.useRotPosEmb,
    use_abs_pos_embed: c.useAbsPosEmb,
  };
}
