import { arange, type Tensor } from '@openmind-ssl/core';

/**
 * One-hot encoding of a label map along the channel axis, float32. Values outside [0, classes) (the
 * ignore label) give an all-zero column.
 * @param target [B, 1, ...spatial] int32 label values
 * @returns [B, classes, ...spatial] float32
 */
export function oneHot(target: Tensor, classes: number): Tensor {
  const spatial = target.shape.slice(2).map(() => 1);
  const values = arange(classes, { engine: target.engine }).reshape([1, classes, ...spatial]);
  return values.equal(target).cast('float32');
}
