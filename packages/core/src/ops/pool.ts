import type { Pool3DAttrs } from '../backend/kernel-types.js';
import { windowOutputSize } from '../backend/kernel-types.js';
import { record } from '../autograd/grad-node.js';
import { OpenMindError } from '../errors/openmind-error.js';
import { triple } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { ones } from './create.js';
import { pad } from './shape-ops.js';

/** Pooling options; each spatial value is a number or [d, h, w]. */
export interface Pool3DOptions {
  kernelSize: number | readonly number[];
  /** Defaults to kernelSize. */
  stride?: number | readonly number[];
  padding?: number | readonly number[];
  /** Extra windows at the end for a partial last window (PyTorch ceil_mode). */
  ceilMode?: boolean;
  /** Average pooling only: whether padded zeros count in the divisor (PyTorch default true). */
  countIncludePad?: boolean;
}

function pool(x: Tensor, attrs: Pool3DAttrs): Tensor {
  const y = new Tensor(x.engine, x.engine.backend.pool3d(x.handle, attrs));
  return record(y, `pool3d:${attrs.mode}`, [x], (dy) => [
    new Tensor(dy.engine, dy.engine.backend.pool3dBackprop(dy.handle, x.handle, attrs)),
  ]);
}

function pool3d(mode: 'max' | 'avg', x: Tensor, options: Pool3DOptions): Tensor {
  if (x.rank !== 5) throw new OpenMindError(`${mode}Pool3d: input must be [N, C, D, H, W], got [${x.shape}]`);
  const kernelSize = triple(options.kernelSize, 'kernelSize');
  const stride = triple(options.stride ?? kernelSize, 'stride');
  const padding = triple(options.padding ?? 0, 'padding');
  // ceil mode = extra padding at the end so a partial window fits; a window may not start in padding.
  const extra = [0, 1, 2].map((i) => {
    if (!options.ceilMode) return 0;
    const n = x.shape[2 + i]!;
    let out = Math.ceil((n + 2 * padding[i]! - kernelSize[i]!) / stride[i]!) + 1;
    if ((out - 1) * stride[i]! >= n + padding[i]!) out--;
    return Math.max(0, (out - 1) * stride[i]! + kernelSize[i]! - (n + 2 * padding[i]!));
  });
  const sizes = [0, 1, 2].map((i) => windowOutputSize(x.shape[2 + i]! + extra[i]!, kernelSize[i]!, stride[i]!, padding[i]!));
  if (sizes.some((s) => s < 1)) throw new OpenMindError(`${mode}Pool3d: input [${x.shape}] is smaller than the window`);
  const attrs: Pool3DAttrs = { mode, kernelSize, stride, padding };
  const extraPads = [[0, 0], [0, 0], ...extra.map((e) => [0, e] as const)] as [number, number][];
  const needsExtra = extra.some((e) => e > 0);
  if (mode === 'max') return pool(needsExtra ? pad(x, extraPads, -Infinity) : x, attrs);
  const padded = needsExtra ? pad(x, extraPads, 0) : x;
  const summed = pool(padded, attrs);
  const countPadding = options.countIncludePad ?? true;
  if (countPadding && !needsExtra) return summed;
  // The divisor counts real voxels (and symmetric padding when countIncludePad): pool a mask of ones.
  const mask = x.engine.noGrad(() => {
    const inside = ones([1, 1, ...x.shape.slice(2)], { engine: x.engine });
    const symmetric = countPadding ? pad(inside, [[0, 0], [0, 0], ...padding.map((p) => [p, p] as const)], 1) : inside;
    const maskAttrs = countPadding ? { ...attrs, padding: [0, 0, 0] as const } : attrs;
    const maskExtra = countPadding ? [[0, 0], [0, 0], ...extra.map((e) => [0, e] as const)] : extraPads;
    return pool(pad(symmetric, maskExtra as [number, number][], 0), maskAttrs);
  });
  const kernelVolume = kernelSize[0] * kernelSize[1] * kernelSize[2];
  return summed.mul(kernelVolume).div(mask.mul(kernelVolume));
}

/** Max pooling over [N, C, D, H, W]. */
export function maxPool3d(x: Tensor, options: Pool3DOptions): Tensor {
  return pool3d('max', x, options);
}

/** Average pooling over [N, C, D, H, W] (PyTorch AvgPool3d semantics, including ceilMode and countIncludePad). */
export function avgPool3d(x: Tensor, options: Pool3DOptions): Tensor {
  return pool3d('avg', x, options);
}
