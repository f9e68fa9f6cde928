import { OpenMindError } from '../errors/openmind-error.js';
import { triple } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { tensor } from './create.js';
import { gather, reshape } from './shape-ops.js';

export interface InterpolateOptions {
  /** Output spatial size [d, h, w]; or give `scaleFactor`. */
  size?: number | readonly number[];
  scaleFactor?: number | readonly number[];
  mode?: 'nearest' | 'trilinear';
  /** Trilinear only: corner voxels of input and output coincide (PyTorch align_corners). */
  alignCorners?: boolean;
}

/**
 * Resizes the spatial axes of [N, C, D, H, W] (PyTorch F.interpolate semantics). Separable: one gather
 * (nearest) or two gathers and a blend (linear) per axis, so gradients come from gather's rule.
 */
export function interpolate(x: Tensor, options: InterpolateOptions): Tensor {
  if (x.rank !== 5) throw new OpenMindError(`interpolate: input must be [N, C, D, H, W], got [${x.shape}]`);
  const inSize = x.shape.slice(2);
  let outSize: number[];
  if (options.size !== undefined) outSize = triple(options.size, 'size');
  else if (options.scaleFactor !== undefined) {
    const s = triple(options.scaleFactor, 'scaleFactor');
    outSize = inSize.map((n, i) => Math.floor(n * s[i]!));
  } else throw new OpenMindError('interpolate: give size or scaleFactor');
  if (outSize.some((n) => n < 1)) throw new OpenMindError(`interpolate: output size [${outSize}] must be ≥ 1`);
  const mode = options.mode ?? 'nearest';
  let y = x;
  for (let axis = 0; axis < 3; axis++) {
    const n = inSize[axis]!;
    const m = outSize[axis]!;
    if (n === m && mode === 'nearest') continue;
    y = mode === 'nearest' ? resizeNearest(y, axis + 2, n, m) : resizeLinear(y, axis + 2, n, m, options.alignCorners ?? false);
  }
  return y === x ? x.mul(1) : y;
}

function resizeNearest(x: Tensor, axis: number, n: number, m: number): Tensor {
  const idx = Int32Array.from({ length: m }, (_, j) => Math.min(Math.floor((j * n) / m), n - 1));
  return gather(x, tensor(idx, [m], { engine: x.engine }), axis);
}

function resizeLinear(x: Tensor, axis: number, n: number, m: number, alignCorners: boolean): Tensor {
  const lo = new Int32Array(m);
  const hi = new Int32Array(m);
  const w = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    let src = alignCorners ? (m > 1 ? (j * (n - 1)) / (m - 1) : 0) : ((j + 0.5) * n) / m - 0.5;
    if (src < 0) src = 0;
    const i0 = Math.min(Math.floor(src), n - 1);
    lo[j] = i0;
    hi[j] = Math.min(i0 + 1, n - 1);
    w[j] = src - i0;
  }
  const e = { engine: x.engine };
  const weightShape = x.shape.map((_, i) => (i === axis ? m : 1));
  const wt = reshape(tensor(w, [m], e), weightShape);
  const a = gather(x, tensor(lo, [m], e), axis);
  const b = gather(x, tensor(hi, [m], e), axis);
  return a.add(b.sub(a).mul(wt));
}
