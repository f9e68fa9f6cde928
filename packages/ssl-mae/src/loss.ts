import { sum, type Tensor } from '@openmind-ssl/core';

/**
 * Mean squared error over the voxels where `lossMask` is 1: Σ (ŷ − x)² · m / Σ m (nnssl MAEMSELoss and
 * LossMaskMSELoss). A batch whose mask is empty gives 0 rather than NaN.
 * @param lossMask float32, broadcastable to the prediction
 */
export function maskedMse(prediction: Tensor, target: Tensor, lossMask: Tensor): Tensor {
  const err = prediction.sub(target).square().mul(lossMask);
  return sum(err).div(sum(lossMask.expand(prediction.shape as number[])).maximum(1));
}
