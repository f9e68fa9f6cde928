import { sum, type Tensor } from '@openmind-ssl/core';

/**
 * SparK's loss (nnssl SparkLoss): the mean squared error over the hidden voxels, Σ (ŷ − x)² · m / Σ m
 * with m = 1 where the voxel was hidden (the block mask upsampled to the prediction, inverted) and, for
 * the _ANON variant, 0 on defaced voxels. A batch without a scored voxel gives 0 rather than NaN.
 * @param prediction [N, C, D, H, W] float32
 * @param target [N, C, D, H, W] float32
 * @param lossMask [N, 1, D, H, W] float32 of 0/1, broadcast over channels
 */
export function sparkLoss(prediction: Tensor, target: Tensor, lossMask: Tensor): Tensor {
  const err = prediction.sub(target).square().mul(lossMask);
  return sum(err).div(sum(lossMask.expand(prediction.shape as number[])).maximum(1));
}
