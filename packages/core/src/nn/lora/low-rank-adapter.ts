import { OpenMindError } from '../../errors/openmind-error.js';
import { conv3d } from '../../ops/conv.js';
import { zeros } from '../../ops/create.js';
import { matmul } from '../../ops/matmul.js';
import type { Rng } from '../../random/rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import { torchDefaultWeight } from '../init.js';
import { Dropout } from '../layers/dropout.js';
import { Module } from '../module.js';

/** LoRA's settings: rank r, scaling α (the update is scaled by α / r) and dropout on the adapter's input. */
export interface LoraOptions {
  rank: number;
  alpha: number;
  dropout: number;
}

/** peft's usual setting and the reference's (finetune-spec §2.2): r 8, α 32, dropout 0.1. */
export const LORA_DEFAULTS: LoraOptions = { rank: 8, alpha: 32, dropout: 0.1 };

/** The layer an adapter sits beside: a linear map [out, in] or a convolution [out, in, kd, kh, kw]. */
export type AdaptedKind = { kind: 'linear'; inFeatures: number; outFeatures: number } | {
  kind: 'conv3d'; inChannels: number; outChannels: number; kernel: readonly [number, number, number];
  stride: number | readonly number[]; padding: number | readonly number[]; dilation: number | readonly number[];
};

/**
 * A low-rank residual (LoRA, Hu et al. 2021) added to a layer's output: (α / r) · B(A(dropout(x))). For a
 * linear layer A is [r, in] and B is [out, r]; for a convolution A is a convolution in → r with the layer's
 * kernel, stride, padding and dilation and B a 1×1×1 convolution r → out, so B∘A is again one convolution
 * of the layer's shape and merges into its weight. A has PyTorch's default init, B is zero (as peft), so a
 * fresh adapter leaves the layer's function unchanged.
 */
export class LowRankAdapter extends Module {
  readonly lora_A: Tensor;
  readonly lora_B: Tensor;
  readonly scale: number;
  private readonly drop: Dropout;

  constructor(readonly target: AdaptedKind, readonly options: LoraOptions, rng: Rng) {
    super();
    if (!(Number.isInteger(options.rank) && options.rank > 0)) throw new OpenMindError(`LoRA: rank must be a positive integer, got ${options.rank}`);
    if (!(options.alpha > 0)) throw new OpenMindError(`LoRA: alpha must be positive, got ${options.alpha}`);
    const r = options.rank;
    const aShape = target.kind === 'linear' ? [r, target.inFeatures] : [r, target.inChannels, ...target.kernel];
    const bShape = target.kind === 'linear' ? [target.outFeatures, r] : [target.outChannels, r, 1, 1, 1];
    this.lora_A = this.param('lora_A', torchDefaultWeight(aShape, rng));
    this.lora_B = this.param('lora_B', zeros(bShape));
    this.drop = this.child('lora_dropout', new Dropout(options.dropout, rng));
    this.scale = options.alpha / r;
  }

  /** The adapter's contribution to the layer's output for input x. */
  forward(x: Tensor): Tensor {
    const t = this.target;
    const h = this.drop.forward(x);
    if (t.kind === 'linear') return matmul(matmul(h, this.lora_A, false, true), this.lora_B, false, true).mul(this.scale);
    const a = conv3d(h, this.lora_A, undefined, { stride: t.stride, padding: t.padding, dilation: t.dilation });
    return conv3d(a, this.lora_B, undefined, {}).mul(this.scale);
  }

  /** (α / r) · B·A in the layer's weight shape: what merging adds to the weight. */
  delta(): Tensor {
    const t = this.target;
    const r = this.options.rank;
    if (t.kind === 'linear') return matmul(this.lora_B, this.lora_A).mul(this.scale);
    const k = t.kernel[0] * t.kernel[1] * t.kernel[2];
    const ba = matmul(this.lora_B.reshape([t.outChannels, r]), this.lora_A.reshape([r, t.inChannels * k]));
    return ba.reshape([t.outChannels, t.inChannels, ...t.kernel]).mul(this.scale);
  }
}
