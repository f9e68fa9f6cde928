import { OpenMindError } from '../../errors/openmind-error.js';
import { matmul } from '../../ops/matmul.js';
import type { Rng } from '../../random/rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import { torchDefaultBias, torchDefaultWeight } from '../init.js';
import { type LoraOptions, LowRankAdapter } from '../lora/low-rank-adapter.js';
import { Module } from '../module.js';

/** y = x·Wᵀ + b over the last axis: weight [out, in], bias [out]. */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;
  /** A low-rank adapter beside the weight (LoRA), once {@link addAdapter} was called. */
  adapter: LowRankAdapter | undefined;
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: { bias?: boolean; rng: Rng },
  ) {
    super();
    this.weight = this.param('weight', torchDefaultWeight([outFeatures, inFeatures], options.rng));
    this.bias = options.bias === false ? undefined : this.param('bias', torchDefaultBias(outFeatures, [outFeatures, inFeatures], options.rng));
  }

  /** Adds a LoRA adapter (child `adapter`): the output becomes x·Wᵀ + b + (α / r)·B·A·x. */
  addAdapter(options: LoraOptions, rng: Rng): LowRankAdapter {
    if (this.adapter) throw new OpenMindError('Linear: this layer already has an adapter');
    this.adapter = this.child('adapter', new LowRankAdapter({ kind: 'linear', inFeatures: this.inFeatures, outFeatures: this.outFeatures }, options, rng));
    return this.adapter;
  }

  forward(x: Tensor): Tensor {
    const y = matmul(x, this.weight, false, true);
    const out = this.bias ? y.add(this.bias) : y;
    return this.adapter ? out.add(this.adapter.forward(x)) : out;
  }
}
