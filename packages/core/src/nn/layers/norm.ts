import { full } from '../../ops/create.js';
import { maskedInstanceNorm } from '../../ops/masked-instance-norm.js';
import { groupNorm, instanceNorm, layerNorm } from '../../ops/normalization.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';

/** Per-sample, per-channel normalisation over D, H, W (affine by default, as nnU-Net uses it). */
export class InstanceNorm3d extends Module {
  readonly weight: Tensor | undefined;
  readonly bias: Tensor | undefined;
  constructor(
    readonly channels: number,
    readonly options: { eps?: number; affine?: boolean } = {},
  ) {
    super();
    const affine = options.affine ?? true;
    this.weight = affine ? this.param('weight', full([channels], 1)) : undefined;
    this.bias = affine ? this.param('bias', full([channels], 0)) : undefined;
  }

  forward(x: Tensor): Tensor {
    return instanceNorm(x, this.weight, this.bias, this.options.eps ?? 1e-5);
  }

  /**
   * The same norm with statistics over the active voxels only; inactive voxels come out 0 (SparK's
   * sparse instance norm, see maskedInstanceNorm).
   * @param active [N, 1, D, H, W] float32 of 0/1
   */
  forwardMasked(x: Tensor, active: Tensor): Tensor {
    return maskedInstanceNorm(x, active, this.weight, this.bias, this.options.eps ?? 1e-5);
  }
}

/** Normalisation over the trailing axes of `normalizedShape`. */
export class LayerNorm extends Module {
  readonly weight: Tensor | undefined;
  readonly bias: Tensor | undefined;
  readonly normalizedShape: number[];
  constructor(
    normalizedShape: number | readonly number[],
    readonly options: { eps?: number; affine?: boolean; bias?: boolean } = {},
  ) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    const affine = options.affine ?? true;
    this.weight = affine ? this.param('weight', full(this.normalizedShape, 1)) : undefined;
    this.bias = affine && options.bias !== false ? this.param('bias', full(this.normalizedShape, 0)) : undefined;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape.length, this.weight, this.bias, this.options.eps ?? 1e-5);
  }
}

/** Group normalisation of [N, C, ...] with `groups` groups of channels. */
export class GroupNorm extends Module {
  readonly weight: Tensor | undefined;
  readonly bias: Tensor | undefined;
  constructor(
    readonly groups: number,
    readonly channels: number,
    readonly options: { eps?: number; affine?: boolean } = {},
  ) {
    super();
    const affine = options.affine ?? true;
    this.weight = affine ? this.param('weight', full([channels], 1)) : undefined;
    this.bias = affine ? this.param('bias', full([channels], 0)) : undefined;
  }

  forward(x: Tensor): Tensor {
    return groupNorm(x, this.groups, this.weight, this.bias, this.options.eps ?? 1e-5);
  }
}
