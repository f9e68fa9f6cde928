import { OpenMindError } from '../../errors/openmind-error.js';
import { tensor } from '../../ops/create.js';
import type { Rng } from '../../random/rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';

/** Zeroes each element with probability p in training and scales the rest by 1/(1−p). */
export class Dropout extends Module {
  constructor(
    readonly p: number,
    private readonly rng: Rng,
  ) {
    super();
    if (p < 0 || p >= 1) throw new OpenMindError(`Dropout: p must be in [0, 1), got ${p}`);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const keep = new Float32Array(x.size);
    for (let i = 0; i < keep.length; i++) keep[i] = this.rng.uniform() >= this.p ? 1 / (1 - this.p) : 0;
    return x.mul(tensor(keep, x.shape, { engine: x.engine }));
  }
}

/**
 * Stochastic depth: drops the whole residual branch of a sample with probability p in training and
 * scales kept samples by 1/(1−p) (timm's DropPath).
 */
export class DropPath extends Module {
  constructor(
    readonly p: number,
    private readonly rng: Rng,
  ) {
    super();
    if (p < 0 || p >= 1) throw new OpenMindError(`DropPath: p must be in [0, 1), got ${p}`);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const n = x.shape[0]!;
    const keep = Float32Array.from({ length: n }, () => (this.rng.uniform() >= this.p ? 1 / (1 - this.p) : 0));
    return x.mul(tensor(keep, [n, ...x.shape.slice(1).map(() => 1)], { engine: x.engine }));
  }
}
