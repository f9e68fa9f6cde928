import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensor, type Tensor } from '@openmind/core';

// Readers for the PyTorch fixtures written by tools/gen_resenc_fixtures.py (tests only; not exported).
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

/** How a tensor of the forward fixture is filled: offset + scale · detValues(n, seed), rounded to float32. */
export interface FillRecipe {
  key: string;
  shape: number[];
  seed: number;
  offset: number;
  scale: number;
}

export interface KeysFixture {
  torch: string;
  presets: Record<
    string,
    {
      keys: [key: string, shape: number[], alias: boolean][];
      counts: { 'encoder.stem': number; 'encoder.stages': number[]; encoder: number; 'decoder.stages': number; 'decoder.transpconvs': number; 'decoder.seg_layers': number; total: number };
    }
  >;
}

export interface ForwardCase {
  name: string;
  preset: string;
  inChannels: number;
  outChannels: number;
  deepSupervision: boolean;
  input: FillRecipe;
  weights: FillRecipe[];
  outputs: { shape: number[]; data: number[] }[];
  encoder: { shape: number[]; sum: number; sumSquares: number; first: number[] }[];
}

export function keysFixture(): KeysFixture {
  return JSON.parse(readFileSync(join(dir, 'resenc-keys.json'), 'utf8')) as KeysFixture;
}

export function forwardCases(): ForwardCase[] {
  return (JSON.parse(readFileSync(join(dir, 'resenc-forward.json'), 'utf8')) as { cases: ForwardCase[] }).cases;
}

/** The tools' `det_values`: n values in [-1, 1) from a 32-bit integer hash of (index, seed), bit-exact. */
export function detValues(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  const salt = (seed + 1) * 40503;
  for (let i = 0; i < n; i++) {
    let h = (Math.imul(i, 0x9e3779b1) + salt) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
    h = Math.imul(h, 0x85ebca77) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    out[i] = h / 2 ** 31 - 1;
  }
  return out;
}

/** A float32 tensor filled by a recipe. */
export function filled(r: FillRecipe): Tensor {
  const v = detValues(r.shape.reduce((a, b) => a * b, 1), r.seed);
  const data = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) data[i] = r.offset + r.scale * v[i]!;
  return tensor(data, r.shape);
}

/** Largest |a − e| / max(|e|, floor). */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-3): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(Math.abs(expected[i]!), floor));
  return worst;
}
