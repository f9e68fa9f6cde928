/**
 * Names and attributes of the primitive kernels every backend implements. Kernels, gradients and the
 * conformance suite import these; no kernel name is spelled anywhere else.
 */

/** Element-wise functions of one tensor. */
export const UNARY_OPS = [
  'neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'rsqrt', 'reciprocal', 'sigmoid', 'tanh', 'erf', 'relu',
  'sin', 'cos', 'floor', 'ceil', 'round', 'square',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Element-wise functions of two tensors with NumPy broadcasting; comparisons return uint8 0/1. */
export const ARITHMETIC_OPS = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const;
export const COMPARISON_OPS = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const;
export type ArithmeticOp = (typeof ARITHMETIC_OPS)[number];
export type ComparisonOp = (typeof COMPARISON_OPS)[number];
export type BinaryOp = ArithmeticOp | ComparisonOp;

/** Reductions over a set of axes; the output keeps reduced axes with size 1. */
export const REDUCE_OPS = ['sum', 'max', 'min'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/**
 * Attributes of a 3D convolution, PyTorch semantics: symmetric zero padding per spatial axis,
 * weights [K, C/groups, kd, kh, kw], input [N, C, D, H, W].
 */
export interface Conv3DAttrs {
  readonly stride: readonly [number, number, number];
  readonly padding: readonly [number, number, number];
  readonly dilation: readonly [number, number, number];
  readonly groups: number;
}

/**
 * Attributes of 3D pooling. Padding is symmetric; max pooling pads with -Infinity, average pooling
 * pads with zeros and always divides by the full window volume (PyTorch's count_include_pad=true).
 */
export interface Pool3DAttrs {
  readonly mode: 'max' | 'avg';
  readonly kernelSize: readonly [number, number, number];
  readonly stride: readonly [number, number, number];
  readonly padding: readonly [number, number, number];
}

/** Output spatial size of a convolution or pooling window along one axis. */
export function windowOutputSize(input: number, kernel: number, stride: number, pad: number, dilation = 1): number {
  return Math.floor((input + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}
