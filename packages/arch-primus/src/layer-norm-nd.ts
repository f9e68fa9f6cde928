import { full, mean, Module, reshape, type Tensor } from '@openmind-ssl/core';

/**
 * DNA's LayerNormNd: normalises each voxel over the channel axis (dim 1) with eps 1e-6, then a
 * per-channel affine `weight`, `bias`.
 */
export class LayerNormNd extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;

  constructor(
    readonly channels: number,
    readonly eps = 1e-6,
  ) {
    super();
    this.weight = this.param('weight', full([channels], 1));
    this.bias = this.param('bias', full([channels], 0));
  }

  /** @param x [N, C, ...spatial] → same shape */
  forward(x: Tensor): Tensor {
    const u = mean(x, 1, true);
    const centred = x.sub(u);
    const s = mean(centred.square(), 1, true);
    const shape = [1, this.channels, ...x.shape.slice(2).map(() => 1)];
    return centred.mul(s.add(this.eps).rsqrt()).mul(reshape(this.weight, shape)).add(reshape(this.bias, shape));
  }
}
