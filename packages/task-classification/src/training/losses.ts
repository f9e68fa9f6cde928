import { crossEntropy, mean, type Tensor } from '@openmind-ssl/core';

/**
 * Binary cross-entropy on logits, averaged over every element (PyTorch BCEWithLogitsLoss), in the
 * stable form max(x, 0) − x·y + log(1 + exp(−|x|)).
 * @param target 0/1 float32 of the logits' shape
 */
export function binaryCrossEntropyWithLogits(logits: Tensor, target: Tensor): Tensor {
  return mean(logits.relu().sub(logits.mul(target)).add(logits.abs().neg().exp().add(1).log()));
}

/** The reference's loss: cross-entropy with label smoothing for one class per case, BCE with logits for multi-label. */
export function classificationLoss(logits: Tensor, target: Tensor, multilabel: boolean, labelSmoothing: number): Tensor {
  return multilabel ? binaryCrossEntropyWithLogits(logits, target.dtype === 'float32' ? target : target.cast('float32')) : crossEntropy(logits, target, labelSmoothing);
}
