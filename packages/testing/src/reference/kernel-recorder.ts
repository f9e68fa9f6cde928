import type { Backend } from '@openmind-ssl/core';

/** One kernel call: the Backend method, and the op for unary/binary/reduce ('binary:add', 'reduce:sum'). */
export type KernelCall = string;

/** Backend members that are not kernels (bookkeeping, memory, transfers). */
const NOT_KERNELS = new Set(['init', 'close', 'upload', 'read', 'readSync', 'dispose', 'memory', 'evaluationBoundary']);

/**
 * Wraps a backend so that every kernel call is noted in `calls` — for tests that assert which kernels
 * ran (e.g. that backward computes no filter gradient for a frozen convolution). The wrapped backend
 * behaves exactly like `inner`; `reset()` empties the list.
 */
export function recordKernels<B extends Backend>(inner: B): { backend: B; calls: KernelCall[]; reset(): void } {
  const calls: KernelCall[] = [];
  const backend = new Proxy(inner, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string' || NOT_KERNELS.has(key)) return value;
      return (...args: unknown[]) => {
        calls.push(typeof args[0] === 'string' ? `${key}:${args[0]}` : key);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { backend, calls, reset: () => void calls.splice(0) };
}
