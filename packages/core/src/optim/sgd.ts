import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamGroup, type ParamGroupInit } from './optimizer.js';

export interface SgdOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with PyTorch's semantics: g ← grad + wd·p; buf ← μ·buf + (1−dampening)·g
 * (buf ← g on the first step); Nesterov uses g + μ·buf; p ← p − lr·g.
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;

  constructor(params: Tensor[] | ParamGroupInit[], options: SgdOptions) {
    super(params, { lr: options.lr, weightDecay: options.weightDecay ?? 0 });
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.nesterov = options.nesterov ?? false;
  }

  protected update(p: Tensor, grad: Tensor, lr: Tensor, group: ParamGroup): void {
    let g = group.weightDecay ? grad.add(p.mul(group.weightDecay)) : grad;
    if (this.momentum) {
      const prev = this.buffers(p).get('momentum_buffer');
      const buf = prev
        ? prev.mul(this.coefficient(this.momentum, 1)).add(g.mul(this.coefficient(1 - this.dampening, 0)))
        : g.mul(this.coefficient(1, 0));
      this.setBuffer(p, 'momentum_buffer', buf);
      const current = this.buffers(p).get('momentum_buffer')!;
      g = this.nesterov ? g.add(current.mul(this.momentum)) : current;
    }
    this.commit(p, p.sub(g.mul(lr)));
  }
}
