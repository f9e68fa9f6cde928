import { Rng } from '@openmind-ssl/core';

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The generator of batch `iteration` for a loader seeded with `seed`. Every random choice of a batch
 * (cases, crop positions, augmentation) comes from it, so a batch depends on (seed, iteration) only —
 * not on the worker that builds it, the number of workers, or the order batches finish in.
 */
export function batchRng(seed: number, iteration: number): Rng {
  const lo = iteration >>> 0;
  const hi = Math.floor(iteration / 2 ** 32) >>> 0;
  const s = seed >>> 0;
  return Rng.fromState([fmix32(s ^ 0x9e3779b9), fmix32(lo ^ 0x7f4a7c15), fmix32((hi + s) ^ 0x94d049bb), fmix32(lo + 0x2545f491 + s)]);
}
