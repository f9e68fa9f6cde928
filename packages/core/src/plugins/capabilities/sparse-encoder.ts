import type { Tensor } from '../../tensor/tensor.js';

/**
 * Where a sparse encoder's features exist, at every resolution the encoder reaches (SparK's active
 * mask). The method that owns the mask implements it; the encoder only asks.
 */
export interface ActiveVoxels {
  /**
   * The active mask at one spatial size.
   * @param spatial [d, h, w] of the feature map about to be masked
   * @returns [N, 1, d, h, w] float32 of 0/1 (1 = active), or undefined where every voxel is active (dense)
   */
  at(spatial: readonly number[]): Tensor | undefined;
}

/**
 * An encoder that can run sparsely (SparK for CNNs): after every convolution and pooling its features
 * are multiplied by the active mask at that resolution, and its instance norms take their statistics
 * over active voxels only, so inactive voxels stay 0 and never feed a statistic. The ResEnc U-Net has it.
 * @see nnssl-spec §3.2
 */
export interface SparseEncoder {
  /**
   * As `encode`, run sparsely under `active`. The input is used as given: masking it is the caller's choice.
   * @param x [N, inChannels, D, H, W] float32
   * @returns every stage's feature map, finest first, 0 where inactive
   */
  encodeSparse(x: Tensor, active: ActiveVoxels): Tensor[];
}

/** Whether `net` can encode sparsely (checks the member, not a tag). */
export function encodesSparsely(net: unknown): net is SparseEncoder {
  return typeof (net as Partial<SparseEncoder> | null | undefined)?.encodeSparse === 'function';
}
