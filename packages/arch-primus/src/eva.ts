import {
  type AttentionOptions, LayerNorm, Linear, Module, ModuleList, OpenMindError, type Rng, type Tensor, truncatedNormal, zeros,
} from '@openmind-ssl/core';
import { headDim, mlpHidden, type PrimusConfig, type Triple } from './config.js';
import { EvaBlock } from './eva-block.js';
import { RotaryEmbedding3d } from './rotary-embedding.js';
import { checkTokenKeep, gatherKeptTokens, type TokenKeep } from './token-keep.js';

/** The transformer part of a Primus config, and how it is built. */
export interface EvaOptions extends Pick<PrimusConfig, 'embedDim' | 'depth' | 'numHeads' | 'mlpRatio' | 'initValues' | 'scaleAttnInner' | 'useAbsPosEmb' | 'useRotPosEmb'> {
  /** Tokens per axis [D', H', W'] (DNA's ref_feat_shape): sizes the position embedding and RoPE table. */
  tokenGrid: Triple;
  /** Stochastic depth of the last block; block i gets drop_path_rate · i/(depth−1) (timm's linspace). */
  dropPathRate: number;
  rng: Rng;
  attention?: AttentionOptions;
}

/** What one Eva call should do besides the plain forward. */
export interface EvaForwardOptions {
  /** Keep only these tokens of each sample (dropped after the position embedding is added). */
  keep?: TokenKeep;
  /** Draws this call's stochastic-depth decisions (default: each block's own Rng). */
  rng?: Rng;
}

/**
 * DNA's trimmed timm Eva (no class token, no patch embedding, no head): learned absolute position
 * embedding `pos_embed` [1, T, dim], optional token dropping (the RoPE table is gathered with the kept
 * tokens), EVA blocks with 3D RoPE, final LayerNorm `norm`.
 *
 * Initialisation follows timm: every Linear trunc_normal(0.02) with zero bias, pos_embed
 * trunc_normal(0.02), then block ℓ's `attn.proj.weight` and `mlp.fc2.weight` divided by √(2ℓ)
 * (fix_init_weight); LayerNorms 1/0, LayerScale γ = initValues.
 */
export class Eva extends Module {
  readonly pos_embed: Tensor | undefined;
  readonly rope: RotaryEmbedding3d | undefined;
  readonly blocks: ModuleList<EvaBlock>;
  readonly norm: LayerNorm;
  readonly tokens: number;
  readonly embedDim: number;

  constructor(readonly options: EvaOptions) {
    super();
    const o = options;
    const rng = o.rng;
    this.embedDim = o.embedDim;
    this.tokens = o.tokenGrid[0] * o.tokenGrid[1] * o.tokenGrid[2];
    if (!(o.dropPathRate >= 0 && o.dropPathRate < 1)) throw new OpenMindError(`Eva: dropPathRate must be in [0, 1), but got ${o.dropPathRate}.`);
    this.pos_embed = o.useAbsPosEmb ? this.param('pos_embed', truncatedNormal([1, this.tokens, o.embedDim], rng, 0.02)) : undefined;
    this.rope = o.useRotPosEmb ? this.child('rope', new RotaryEmbedding3d(o.tokenGrid, headDim(o))) : undefined;
    const blocks: EvaBlock[] = [];
    for (let i = 0; i < o.depth; i++) {
      blocks.push(new EvaBlock({
        dim: o.embedDim,
        numHeads: o.numHeads,
        mlpHidden: mlpHidden(o),
        initValues: o.initValues,
        scaleAttnInner: o.scaleAttnInner,
        dropPath: o.depth > 1 ? (o.dropPathRate * i) / (o.depth - 1) : 0,
        rng: rng.fork(),
        ...(o.attention ? { attention: o.attention } : {}),
      }));
    }
    this.blocks = this.child('blocks', new ModuleList(blocks));
    this.norm = this.child('norm', new LayerNorm(o.embedDim, { eps: 1e-5 }));
    this.initWeights(rng);
  }

  private initWeights(rng: Rng): void {
    for (const [, m] of this.namedModules()) {
      if (!(m instanceof Linear)) continue;
      m.weight.assign(truncatedNormal(m.weight.shape, rng, 0.02));
      m.bias?.assign(zeros(m.bias.shape));
    }
    this.blocks.items.forEach((block, i) => {
      const factor = 1 / Math.sqrt(2 * (i + 1));
      for (const w of [block.attn.proj.weight, block.mlp.fc2.weight]) w.assign(w.engine.noGrad(() => w.mul(factor)));
    });
  }

  /**
   * @param tokens [N, T, dim] in this package's token order (token-layout.ts)
   * @returns [N, T, dim], or [N, K, dim] for the kept tokens (in the order of `options.keep`)
   * @throws OpenMindError when the tokens do not match [N, T, dim] or `keep` is malformed.
   */
  forward(tokens: Tensor, options: EvaForwardOptions = {}): Tensor {
    if (tokens.rank !== 3 || tokens.shape[1] !== this.tokens || tokens.shape[2] !== this.embedDim) {
      throw new OpenMindError(`Eva: tokens must be [N, ${this.tokens}, ${this.embedDim}], but got [${tokens.shape.join(', ')}].`);
    }
    let x = this.pos_embed ? tokens.add(this.pos_embed) : tokens;
    const keep = options.keep;
    if (keep) {
      checkTokenKeep(keep, tokens.shape[0]!, this.tokens);
      x = gatherKeptTokens(x, keep);
    }
    const rope = this.rope?.tables(keep);
    for (const block of this.blocks) x = block.forward(x, rope, options.rng);
    return this.norm.forward(x);
  }
}
