import type { KernelCase } from '../kernel-case.js';
import { CONV_CASES } from './conv-cases.js';
import { ELEMENTWISE_CASES } from './elementwise-cases.js';
import { LAYOUT_CASES } from './layout-cases.js';
import { MEMORY_CASES } from './memory-cases.js';
import { POOL_CASES } from './pool-cases.js';
import { REDUCE_CASES } from './reduce-cases.js';

/** Every kernel conformance case, in a stable order. Ids are unique (checked by this package's tests). */
export const KERNEL_CASES: readonly KernelCase[] = [
  ...MEMORY_CASES, ...ELEMENTWISE_CASES, ...REDUCE_CASES, ...CONV_CASES, ...POOL_CASES, ...LAYOUT_CASES,
];
