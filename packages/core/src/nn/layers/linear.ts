import { matmul } from '../../ops/matmul.js';
import type { Rng } from '../../random/rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import { torchDefaultBias, torchDefaultWeight } from '../init.js';
import { Module } from '../module.js';

/** y = x·Wᵀ + b over the last axis: weight [out, in], bias [out]. */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: { bias?: boolean; rng: Rng },
  ) {
    super();
    this.weight = this.param('weight', torchDefaultWeight([outFeatures, inFeatures], options.rng));
    this.bias = options.bias === false ? undefined : this.param('bias', torchDefaultBias(outFeatures, [outFeatures, inFeatures], options.rng));
  }

  forward(x: Tensor): Tensor {
    const y = matmul(x, this.weight, false, true);
    return this.bias ? y.add(this.bias) : y;
  }
}
