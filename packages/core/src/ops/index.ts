// The public tensor ops. Each validates its inputs, calls one backend kernel (or composes other ops),
// and records its gradient rule.
export * from './create.js';
export * from './elementwise.js';
export * from './shape-ops.js';
export * from './reduce.js';
export * from './matmul.js';
export * from './conv.js';
export * from './pool.js';
export * from './activations.js';
export * from './normalization.js';
export * from './masked-instance-norm.js';
export * from './losses.js';
export * from './interpolate.js';
export { backward, gradients } from '../autograd/backward.js';
export * from './attention.js';
