import type { Conv3DAttrs } from '../backend/kernel-types.js';
import { windowOutputSize } from '../backend/kernel-types.js';
import { record } from '../autograd/grad-node.js';
import { OpenMindError } from '../errors/openmind-error.js';
import { triple, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { reshape } from './shape-ops.js';

/** Convolution options; each spatial value is a number or [d, h, w]. */
export interface Conv3DOptions {
  stride?: number | readonly number[];
  padding?: number | readonly number[];
  dilation?: number | readonly number[];
  groups?: number;
}

export function conv3dAttrs(options: Conv3DOptions = {}): Conv3DAttrs {
  const attrs = {
    stride: triple(options.stride ?? 1, 'stride'),
    padding: triple(options.padding ?? 0, 'padding'),
    dilation: triple(options.dilation ?? 1, 'dilation'),
    groups: options.groups ?? 1,
  };
  if (attrs.stride.some((s) => s < 1) || attrs.dilation.some((d) => d < 1) || attrs.padding.some((p) => p < 0)) {
    throw new OpenMindError(`conv3d: stride and dilation must be ≥ 1 and padding ≥ 0, got ${JSON.stringify(attrs)}`);
  }
  return attrs;
}

function checkConv(x: Shape, w: Shape, attrs: Conv3DAttrs, op: string): void {
  if (x.length !== 5) throw new OpenMindError(`${op}: input must be [N, C, D, H, W], got [${x}]`);
  if (w.length !== 5) throw new OpenMindError(`${op}: weight must be [K, C/groups, kd, kh, kw], got [${w}]`);
  const g = attrs.groups;
  if (!Number.isInteger(g) || g < 1 || x[1]! % g !== 0 || w[0]! % g !== 0) {
    throw new OpenMindError(`${op}: groups=${g} must divide input channels ${x[1]} and output channels ${w[0]}`);
  }
  if (x[1]! / g !== w[1]) {
    throw new OpenMindError(`${op}: input has ${x[1]} channels, weight [${w}] expects ${w[1]! * g} (groups=${g})`);
  }
}

function convOutputShape(x: Shape, w: Shape, a: Conv3DAttrs): number[] {
  const spatial = [0, 1, 2].map((i) => windowOutputSize(x[2 + i]!, w[2 + i]!, a.stride[i]!, a.padding[i]!, a.dilation[i]!));
  if (spatial.some((s) => s < 1)) throw new OpenMindError(`conv3d: input [${x}] is smaller than the kernel [${w}] allows`);
  return [x[0]!, w[0]!, ...spatial];
}

/**
 * 3D convolution (PyTorch semantics): x [N, C, D, H, W] float32, w [K, C/groups, kd, kh, kw],
 * optional bias [K] → [N, K, D', H', W'].
 * @throws OpenMindError on rank, channel or groups mismatch.
 */
export function conv3d(x: Tensor, w: Tensor, bias?: Tensor, options: Conv3DOptions = {}): Tensor {
  const attrs = conv3dAttrs(options);
  checkConv(x.shape, w.shape, attrs, 'conv3d');
  convOutputShape(x.shape, w.shape, attrs);
  const y = rawConv3d(x, w, attrs);
  return bias ? y.add(reshape(bias, [1, -1, 1, 1, 1])) : y;
}

function rawConv3d(x: Tensor, w: Tensor, attrs: Conv3DAttrs): Tensor {
  const y = new Tensor(x.engine, x.engine.backend.conv3d(x.handle, w.handle, attrs));
  return record(y, 'conv3d', [x, w], (dy) => [
    x.needsGrad ? conv3dBackpropInput(dy, w, x.shape, attrs) : undefined,
    w.needsGrad ? conv3dBackpropFilter(x, dy, w.shape, attrs) : undefined,
  ]);
}

/** Gradient of conv3d with respect to its input (also the transposed convolution). */
export function conv3dBackpropInput(dy: Tensor, w: Tensor, xShape: Shape, attrs: Conv3DAttrs): Tensor {
  const y = new Tensor(dy.engine, dy.engine.backend.conv3dBackpropInput(dy.handle, w.handle, xShape, attrs));
  return record(y, 'conv3dBackpropInput', [dy, w], (g) => [
    dy.needsGrad ? rawConv3d(g, w, attrs) : undefined,
    w.needsGrad ? conv3dBackpropFilter(g, dy, w.shape, attrs) : undefined,
  ]);
}

/** Gradient of conv3d with respect to its filter. */
export function conv3dBackpropFilter(x: Tensor, dy: Tensor, wShape: Shape, attrs: Conv3DAttrs): Tensor {
  const y = new Tensor(x.engine, x.engine.backend.conv3dBackpropFilter(x.handle, dy.handle, wShape, attrs));
  return record(y, 'conv3dBackpropFilter', [x, dy], (g) => [
    x.needsGrad ? conv3dBackpropInput(dy, g, x.shape, attrs) : undefined,
    dy.needsGrad ? rawConv3d(x, g, attrs) : undefined,
  ]);
}

/**
 * Transposed 3D convolution (PyTorch ConvTranspose3d): x [N, C, D, H, W], w [C, K/groups, kd, kh, kw],
 * optional bias [K]; output size (D-1)·stride − 2·padding + dilation·(k−1) + outputPadding + 1.
 */
export function convTranspose3d(
  x: Tensor,
  w: Tensor,
  bias?: Tensor,
  options: Conv3DOptions & { outputPadding?: number | readonly number[] } = {},
): Tensor {
  const attrs = conv3dAttrs(options);
  const outPad = triple(options.outputPadding ?? 0, 'outputPadding');
  if (x.rank !== 5 || w.rank !== 5 || x.shape[1] !== w.shape[0]) {
    throw new OpenMindError(`convTranspose3d: input [${x.shape}] and weight [${w.shape}] (expected [C, K/groups, kd, kh, kw] with C=${x.shape[1]})`);
  }
  const outShape = [
    x.shape[0]!,
    w.shape[1]! * attrs.groups,
    ...[0, 1, 2].map(
      (i) => (x.shape[2 + i]! - 1) * attrs.stride[i]! - 2 * attrs.padding[i]! + attrs.dilation[i]! * (w.shape[2 + i]! - 1) + outPad[i]! + 1,
    ),
  ];
  checkConv(outShape, w.shape, attrs, 'convTranspose3d');
  const y = conv3dBackpropInput(x, w, outShape, attrs);
  return bias ? y.add(reshape(bias, [1, -1, 1, 1, 1])) : y;
}
