import { avgPool3d, maxPool3d, type Pool3DOptions } from '../../ops/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';

export class AvgPool3d extends Module {
  constructor(readonly options: Pool3DOptions) {
    super();
  }
  forward(x: Tensor): Tensor {
    return avgPool3d(x, this.options);
  }
}

export class MaxPool3d extends Module {
  constructor(readonly options: Pool3DOptions) {
    super();
  }
  forward(x: Tensor): Tensor {
    return maxPool3d(x, this.options);
  }
}
