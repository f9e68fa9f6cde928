import {
  type AttentionOptions, LayerNorm, Linear, Module, reshape, type Rng, scaledDotProductAttention, type Tensor, transpose,
} from '@openmind-ssl/core';
import { applyRotary, type RopeTables } from './rotary-embedding.js';

/** Construction options of EvaAttention. */
export interface EvaAttentionOptions {
  numHeads: number;
  /** LayerNorm over the merged heads before `proj` (timm scale_attn_inner). */
  scaleAttnInner: boolean;
  rng: Rng;
  /** Score-block budget of the attention (see core's scaledDotProductAttention). */
  attention?: AttentionOptions;
}

/**
 * timm's EvaAttention with separate projections (qkv_fused=False): `q_proj` and `v_proj` with bias,
 * `k_proj` without; RoPE on queries and keys; scaled dot-product attention (scale headDim^−½), computed in
 * query blocks; optional inner LayerNorm `norm`; output projection `proj`.
 */
export class EvaAttention extends Module {
  readonly q_proj: Linear;
  readonly k_proj: Linear;
  readonly v_proj: Linear;
  readonly norm: LayerNorm | undefined;
  readonly proj: Linear;
  readonly numHeads: number;

  constructor(
    readonly dim: number,
    private readonly options: EvaAttentionOptions,
  ) {
    super();
    const rng = options.rng;
    this.numHeads = options.numHeads;
    this.q_proj = this.child('q_proj', new Linear(dim, dim, { rng }));
    this.k_proj = this.child('k_proj', new Linear(dim, dim, { bias: false, rng }));
    this.v_proj = this.child('v_proj', new Linear(dim, dim, { rng }));
    this.norm = options.scaleAttnInner ? this.child('norm', new LayerNorm(dim, { eps: 1e-5 })) : undefined;
    this.proj = this.child('proj', new Linear(dim, dim, { rng }));
  }

  /**
   * @param x [N, tokens, dim]
   * @param rope rotary tables broadcastable to [N, heads, tokens, headDim]; undefined = no rotation
   * @returns [N, tokens, dim]
   */
  forward(x: Tensor, rope: RopeTables | undefined): Tensor {
    const [n, t, c] = x.shape as [number, number, number];
    const rows = reshape(x, [n * t, c]);
    const heads = (y: Tensor) => transpose(reshape(y, [n, t, this.numHeads, c / this.numHeads]), [0, 2, 1, 3]);
    let q = heads(this.q_proj.forward(rows));
    let k = heads(this.k_proj.forward(rows));
    const v = heads(this.v_proj.forward(rows));
    if (rope) {
      q = applyRotary(q, rope);
      k = applyRotary(k, rope);
    }
    const attended = scaledDotProductAttention(q, k, v, this.options.attention);
    let merged = reshape(transpose(attended, [0, 2, 1, 3]), [n * t, c]);
    if (this.norm) merged = this.norm.forward(merged);
    return reshape(this.proj.forward(merged), [n, t, c]);
  }
}
