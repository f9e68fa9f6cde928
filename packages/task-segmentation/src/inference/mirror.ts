import { gather, OpenMindError, type Tensor, tensor } from '@openmind-ssl/core';

/**
 * Every non-empty subset of the allowed spatial mirror axes (0, 1, 2 = D, H, W), by size then in
 * lexicographic order, as nnU-Net builds them with itertools.combinations: 7 subsets for 3 axes, so
 * 8 network passes per tile with the unmirrored one.
 */
export function mirrorSubsets(axes: readonly number[]): number[][] {
  for (const a of axes) {
    if (![0, 1, 2].includes(a)) throw new RangeError(`mirror axes must be spatial axes 0, 1 or 2, but got ${a}.`);
  }
  const sorted = [...new Set(axes)].sort();
  const out: number[][] = [];
  const combine = (start: number, size: number, acc: number[]): void => {
    if (acc.length === size) {
      out.push([...acc]);
      return;
    }
    for (let i = start; i < sorted.length; i++) combine(i + 1, size, [...acc, sorted[i]!]);
  };
  for (let size = 1; size <= sorted.length; size++) combine(0, size, []);
  return out;
}

/**
 * Reverses `x` ([N, C, D, H, W]) along the given spatial axes (0 = D), as `torch.flip(x, [2 + a, …])`,
 * with core's gather so it runs on every backend.
 */
export function flipSpatial(x: Tensor, axes: readonly number[]): Tensor {
  if (x.rank !== 5) throw new OpenMindError(`flipSpatial: input must be rank 5 [N, C, D, H, W], but got [${x.shape.join(', ')}].`);
  let y = x;
  for (const a of axes) {
    const n = x.shape[2 + a]!;
    const reversed = tensor(Int32Array.from({ length: n }, (_, i) => n - 1 - i), [n], { dtype: 'int32', engine: x.engine });
    y = gather(y, reversed, 2 + a);
  }
  return y;
}
