import { OpenMindError } from '@openmind-ssl/core';
import { float32Raw, numelOf, rawValues, type RawTensor } from '../torch/raw-tensor.js';

/** Token-grid sizes per axis, in the order the tokens are flattened (row-major over the three). */
export type Grid3 = readonly [number, number, number];

/** Options of `resizePositionEmbedding`. */
export interface ResizePositionEmbeddingOptions {
  /** Leading tokens (class/register tokens) copied unchanged, not interpolated. Default 0. */
  prefixTokens?: number;
  /** Names the tensor in errors. */
  name?: string;
}

/**
 * Resizes a learned position embedding [1, T, C] laid out on a token grid `sourceGrid` (T = product,
 * after any prefix tokens) to `targetGrid`, by trilinear interpolation with PyTorch's
 * `F.interpolate(mode='trilinear', align_corners=False)` sampling — what nnU-Net's pretrained trainer
 * does when the fine-tuning patch size differs from pre-training. Computed in float64, returned float32.
 * @throws OpenMindError when the shape does not match the grid.
 */
export function resizePositionEmbedding(pe: RawTensor, sourceGrid: Grid3, targetGrid: Grid3, options: ResizePositionEmbeddingOptions = {}): RawTensor {
  const name = options.name ?? 'position embedding';
  const prefix = options.prefixTokens ?? 0;
  const [one, tokens, channels] = pe.shape;
  const expected = prefix + numelOf(sourceGrid);
  if (pe.shape.length !== 3 || one !== 1 || tokens !== expected) {
    throw new OpenMindError(`${name}: must be [1, ${expected}, C] (${prefix} prefix tokens + grid [${sourceGrid.join(', ')}]), but got [${pe.shape.join(', ')}].`);
  }
  if (targetGrid.some((g) => !Number.isInteger(g) || g < 1)) throw new OpenMindError(`${name}: target grid must be positive integers, but got [${targetGrid.join(', ')}].`);
  const c = channels!;
  const values = rawValues(pe);
  let grid: Float64Array = Float64Array.from(values.slice(prefix * c));
  let dims = [...sourceGrid];
  for (let axis = 0; axis < 3; axis++) {
    grid = resampleAxis(grid, dims, c, axis, targetGrid[axis]!);
    dims[axis] = targetGrid[axis]!;
  }
  const out = new Float64Array(prefix * c + grid.length);
  out.set(values.slice(0, prefix * c));
  out.set(grid, prefix * c);
  return float32Raw(out, [1, prefix + numelOf(targetGrid), c]);
}

// Linear resampling of one axis of a row-major [d0, d1, d2, C] array: sampling at
// max((o + 0.5) · in/out − 0.5, 0) between the two nearest inputs, PyTorch's align_corners=False rule.
function resampleAxis(src: Float64Array, dims: number[], c: number, axis: number, outSize: number): Float64Array {
  const inSize = dims[axis]!;
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1) * c;
  const dst = new Float64Array(outer * outSize * inner);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const x = Math.max((o + 0.5) * scale - 0.5, 0);
    const i0 = Math.min(Math.floor(x), inSize - 1);
    const i1 = Math.min(i0 + 1, inSize - 1);
    const w1 = x - i0;
    const w0 = 1 - w1;
    for (let a = 0; a < outer; a++) {
      const s0 = (a * inSize + i0) * inner;
      const s1 = (a * inSize + i1) * inner;
      const d = (a * outSize + o) * inner;
      for (let k = 0; k < inner; k++) dst[d + k] = w0 * src[s0 + k]! + w1 * src[s1 + k]!;
    }
  }
  return dst;
}
