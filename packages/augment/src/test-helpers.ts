import { readFileSync } from 'node:fs';
import { Rng } from '@openmind-ssl/core';
import type { Triple } from './types.js';

/**
 * The closed-form test volume of fixtures/gen_scipy_fixtures.py (same operation order, float32), so
 * fixtures store outputs only.
 */
export function fixtureVolume(channels: number, shape: Triple): Float32Array {
  const [X, Y, Z] = shape;
  const out = new Float32Array(channels * X * Y * Z);
  let i = 0;
  for (let c = 0; c < channels; c++) {
    for (let x = 0; x < X; x++) {
      for (let y = 0; y < Y; y++) {
        for (let z = 0; z < Z; z++) {
          const smooth = Math.sin(0.37 * x + 0.11 * c) * Math.cos(0.23 * y) + 0.5 * Math.sin(0.19 * z + 0.05 * x * y);
          const rough = ((7 * x + 13 * y + 29 * z + 5 * c) % 17) / 17;
          out[i++] = smooth + rough;
        }
      }
    }
  }
  return out;
}

/** The fixture label volume: ((x + 2y + 3z) // 7) % 4 as uint8. */
export function fixtureLabels(shape: Triple): Uint8Array {
  const [X, Y, Z] = shape;
  const out = new Uint8Array(X * Y * Z);
  let i = 0;
  for (let x = 0; x < X; x++) for (let y = 0; y < Y; y++) for (let z = 0; z < Z; z++) out[i++] = Math.floor((x + 2 * y + 3 * z) / 7) % 4;
  return out;
}

/** The committed scipy reference outputs. */
export function loadScipyFixture(): ScipyFixture {
  return JSON.parse(readFileSync(new URL('../fixtures/scipy-reference.json', import.meta.url), 'utf8')) as ScipyFixture;
}

export interface ScipyFixture {
  scipy: string;
  spatial: {
    name: string;
    channels: number;
    inShape: Triple;
    patchSize: Triple;
    angles: Triple;
    scale: number;
    inputSum: number;
    image: number[];
    labels: number[];
  }[];
  gaussianBlur: { shape: Triple; sigma: Triple; image: number[] };
  lowResolution: { shape: Triple; target: Triple; orderDownsample: 0 | 1 | 3; orderUpsample: 0 | 1 | 3; image: number[] }[];
}

/** Seeded uniform noise in [-1, 1). */
export function randomVolume(n: number, seed: number): Float32Array {
  return new Rng(seed).fillUniform(new Float32Array(n), -1, 1);
}

/** Largest absolute element-wise difference. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
