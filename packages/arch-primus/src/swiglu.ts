import { LayerNorm, Linear, Module, type Rng, silu, type Tensor } from '@openmind-ssl/core';

/**
 * timm's SwiGLU as EVA-02 uses it (swiglu_mlp with scale_mlp): fc2(norm(SiLU(fc1_g x) ⊙ fc1_x x)), all
 * linears with bias, `norm` a LayerNorm over the hidden width (eps 1e-5).
 */
export class SwiGLU extends Module {
  readonly fc1_g: Linear;
  readonly fc1_x: Linear;
  readonly norm: LayerNorm;
  readonly fc2: Linear;

  constructor(dim: number, hidden: number, rng: Rng) {
    super();
    this.fc1_g = this.child('fc1_g', new Linear(dim, hidden, { rng }));
    this.fc1_x = this.child('fc1_x', new Linear(dim, hidden, { rng }));
    this.norm = this.child('norm', new LayerNorm(hidden, { eps: 1e-5 }));
    this.fc2 = this.child('fc2', new Linear(hidden, dim, { rng }));
  }

  /** @param x [..., dim] → [..., dim] */
  forward(x: Tensor): Tensor {
    const gated = silu(this.fc1_g.forward(x)).mul(this.fc1_x.forward(x));
    return this.fc2.forward(this.norm.forward(gated));
  }
}
