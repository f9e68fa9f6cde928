import { Rng } from '@openmind-ssl/core';
import type { Shape3 } from './volume.js';

/** Anatomy voxels kept per case for anatomy-centred crops (nnU-Net keeps 10 000 class locations too). */
export const DEFAULT_ANATOMY_SAMPLES = 10_000;

/** 32-bit FNV-1a hash of a string: a stable per-case seed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Picks up to `count` anatomy voxels (value > 0 in the anatomy mask) uniformly without replacement,
 * deterministically from `seed`, and returns their `[i, j, k]` coordinates in ascending flat order.
 *
 * Polarity: the OpenMind dataset card says anatomy masks mark the voxels that hold anatomy, so the
 * positive label is used. (nnssl centres on `1 − anat ≠ 0`, i.e. labels 0 and −1, on a file that its
 * preprocessing filled with the anonymization mask; neither is copied here.)
 *
 * @returns `[n, 3]` int32, flattened.
 */
export function sampleAnatomyLocations(anat: Int8Array, shape: Shape3, count: number, seed: number): Int32Array {
  let total = 0;
  for (let i = 0; i < anat.length; i++) if (anat[i]! > 0) total++;
  const flat = new Int32Array(total);
  let n = 0;
  for (let i = 0; i < anat.length; i++) if (anat[i]! > 0) flat[n++] = i;
  const k = Math.min(count, total);
  const rng = new Rng(seed);
  // Partial Fisher–Yates: the first k entries become a uniform sample without replacement.
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.uniform() * (total - i));
    const t = flat[i]!;
    flat[i] = flat[j]!;
    flat[j] = t;
  }
  const chosen = flat.subarray(0, k).sort();
  const out = new Int32Array(k * 3);
  const plane = shape[1] * shape[2];
  for (let i = 0; i < k; i++) {
    const v = chosen[i]!;
    out[3 * i] = Math.floor(v / plane);
    out[3 * i + 1] = Math.floor((v % plane) / shape[2]);
    out[3 * i + 2] = v % shape[2];
  }
  return out;
}
