import { OpenMindError } from '@openmind-ssl/core';

/**
 * Turns an out-of-memory failure (WebGPU's error scope, a lost device, or a typed array the browser could
 * not allocate) into one message that says what ran out and what to try; other errors pass unchanged.
 */
export function gpuMemoryHint(err: unknown, during: string): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if (!/out of memory|device was lost|allocation failed|Invalid typed array length|Array buffer allocation/i.test(message)) return err;
  return new OpenMindError(
    `the device ran out of memory during ${during} (${message.split('\n')[0]}). Try mirroring off, a smaller network or patch, or the TensorFlow.js (CPU) backend.`,
    { cause: err },
  );
}
