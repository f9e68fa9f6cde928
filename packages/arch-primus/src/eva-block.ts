import {
  type AttentionOptions, full, LayerNorm, Module, OpenMindError, type Rng, type Tensor, tensor,
} from '@openmind-ssl/core';
import { EvaAttention } from './eva-attention.js';
import type { RopeTables } from './rotary-embedding.js';
import { SwiGLU } from './swiglu.js';

/** Construction options of an EvaBlock. */
export interface EvaBlockOptions {
  dim: number;
  numHeads: number;
  /** SwiGLU hidden width. */
  mlpHidden: number;
  /** LayerScale initial value; undefined = no gamma_1/gamma_2. */
  initValues: number | undefined;
  scaleAttnInner: boolean;
  /** Stochastic-depth probability of this block. */
  dropPath: number;
  rng: Rng;
  attention?: AttentionOptions;
}

/**
 * timm's EvaBlock (pre-norm): x + DropPath(γ₁ ⊙ attn(norm1 x)), then x + DropPath(γ₂ ⊙ mlp(norm2 x)).
 * LayerNorms have eps 1e-5 (DNA passes torch.nn.LayerNorm). Keys: gamma_1, gamma_2, norm1.*, attn.*,
 * norm2.*, mlp.*.
 */
export class EvaBlock extends Module {
  readonly gamma_1: Tensor | undefined;
  readonly gamma_2: Tensor | undefined;
  readonly norm1: LayerNorm;
  readonly attn: EvaAttention;
  readonly norm2: LayerNorm;
  readonly mlp: SwiGLU;
  readonly dropPath: number;
  private readonly rng: Rng;

  constructor(o: EvaBlockOptions) {
    super();
    if (!(o.dropPath >= 0 && o.dropPath < 1)) throw new OpenMindError(`EvaBlock: dropPath must be in [0, 1), but got ${o.dropPath}.`);
    this.dropPath = o.dropPath;
    this.rng = o.rng;
    this.norm1 = this.child('norm1', new LayerNorm(o.dim, { eps: 1e-5 }));
    this.attn = this.child('attn', new EvaAttention(o.dim, { numHeads: o.numHeads, scaleAttnInner: o.scaleAttnInner, rng: o.rng, ...(o.attention ? { attention: o.attention } : {}) }));
    this.norm2 = this.child('norm2', new LayerNorm(o.dim, { eps: 1e-5 }));
    this.mlp = this.child('mlp', new SwiGLU(o.dim, o.mlpHidden, o.rng));
    this.gamma_1 = o.initValues === undefined ? undefined : this.param('gamma_1', full([o.dim], o.initValues));
    this.gamma_2 = o.initValues === undefined ? undefined : this.param('gamma_2', full([o.dim], o.initValues));
  }

  /**
   * @param x [N, tokens, dim]
   * @param rope rotary tables for these tokens (undefined = none)
   * @param rng draws the stochastic-depth decisions of this call (default: the block's own Rng)
   */
  forward(x: Tensor, rope: RopeTables | undefined, rng?: Rng): Tensor {
    let a = this.attn.forward(this.norm1.forward(x), rope);
    if (this.gamma_1) a = a.mul(this.gamma_1);
    const h = x.add(this.stochasticDepth(a, rng));
    let m = this.mlp.forward(this.norm2.forward(h));
    if (this.gamma_2) m = m.mul(this.gamma_2);
    return h.add(this.stochasticDepth(m, rng));
  }

  /** timm DropPath: each sample's branch is zeroed with probability p, kept ones scaled by 1/(1−p). */
  private stochasticDepth(branch: Tensor, rng: Rng | undefined): Tensor {
    if (!this.training || this.dropPath === 0) return branch;
    const draw = rng ?? this.rng;
    const n = branch.shape[0]!;
    const keep = Float32Array.from({ length: n }, () => (draw.uniform() >= this.dropPath ? 1 / (1 - this.dropPath) : 0));
    return branch.mul(tensor(keep, [n, 1, 1], { engine: branch.engine }));
  }
}
