import { scalarInput } from '../ops/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamGroup, type ParamGroupInit } from './optimizer.js';

export interface AdamWOptions {
  lr: number;
  betas?: readonly [number, number];
  eps?: number;
  /** Decoupled weight decay (PyTorch default 1e-2). */
  weightDecay?: number;
}

/**
 * AdamW with PyTorch's semantics (amsgrad off): p ← p·(1 − lr·wd); m, v moving averages;
 * p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps).
 */
export class AdamW extends Optimizer {
  readonly betas: readonly [number, number];
  readonly eps: number;

  constructor(params: Tensor[] | ParamGroupInit[], options: AdamWOptions) {
    super(params, { lr: options.lr, weightDecay: options.weightDecay ?? 1e-2 });
    this.betas = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
  }

  protected update(p: Tensor, grad: Tensor, lr: Tensor, group: ParamGroup): void {
    const [b1, b2] = this.betas;
    const t = this.stepCount;
    const e = p.engine;
    const m0 = this.buffers(p).get('exp_avg');
    const v0 = this.buffers(p).get('exp_avg_sq');
    // With a dropped step (zero grad and lr): m and v keep their values, p its value (decay and step are 0).
    const c1 = this.coefficient(1 - b1, 0);
    const c2 = this.coefficient(1 - b2, 0);
    const m = m0 ? m0.mul(this.coefficient(b1, 1)).add(grad.mul(c1)) : grad.mul(c1);
    const v = v0 ? v0.mul(this.coefficient(b2, 1)).add(grad.square().mul(c2)) : grad.square().mul(c2);
    this.setBuffer(p, 'exp_avg', m);
    this.setBuffer(p, 'exp_avg_sq', v);
    const mNow = this.buffers(p).get('exp_avg')!;
    const vNow = this.buffers(p).get('exp_avg_sq')!;
    // Bias corrections change every step: pass them as run-time data, not constants.
    const stepSize = lr.div(scalarInput(1 - b1 ** t, e));
    const sqrtBc2 = scalarInput(Math.sqrt(1 - b2 ** t), e);
    const decayed = group.weightDecay ? p.mul(lr.mul(-group.weightDecay).add(1)) : p;
    const denom = vNow.sqrt().div(sqrtBc2).add(this.eps);
    this.commit(p, decayed.sub(mNow.div(denom).mul(stepSize)));
  }
}
