import { layerNorm } from '../../ops/normalization.js';
import type { Rng } from '../../random/rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import { Linear } from './linear.js';

/** `Linear`, then (except in the last layer) per-sample feature normalisation and ReLU; the Linear is child '0'. */
class ProjectionLayer extends Module {
  private readonly linear: Linear;
  constructor(inFeatures: number, outFeatures: number, private readonly normAct: boolean, rng: Rng) {
    super();
    this.linear = this.child('0', new Linear(inFeatures, outFeatures, { rng }));
  }

  forward(x: Tensor): Tensor {
    const y = this.linear.forward(x);
    // nnssl's InstanceNorm1d(affine=False) receives a 2-D [N, F] tensor, which PyTorch treats as one
    // unbatched sample with N channels: every row is normalised over its features (nnssl-spec §4.6, §9.8).
    return this.normAct ? layerNorm(y, 1, undefined, undefined, 1e-5).relu() : y;
  }
}

/**
 * nnssl's VocoProjectionHead, which its SimCLR uses too: Linear → norm → ReLU, Linear → norm → ReLU,
 * Linear. Keys `layer{1,2,3}.0.{weight,bias}`, as nnssl's.
 * @see nnssl-spec §4.6
 */
export class ProjectionHead extends Module {
  readonly layer1: ProjectionLayer;
  readonly layer2: ProjectionLayer;
  readonly layer3: ProjectionLayer;
  constructor(inFeatures: number, hidden: number, out: number, rng: Rng) {
    super();
    this.layer1 = this.child('layer1', new ProjectionLayer(inFeatures, hidden, true, rng));
    this.layer2 = this.child('layer2', new ProjectionLayer(hidden, hidden, true, rng));
    this.layer3 = this.child('layer3', new ProjectionLayer(hidden, out, false, rng));
  }

  /** @param x [N, inFeatures] → [N, out] */
  forward(x: Tensor): Tensor {
    return this.layer3.forward(this.layer2.forward(this.layer1.forward(x)));
  }
}
