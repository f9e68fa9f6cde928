import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensor, type Tensor } from '@openmind/core';

// Readers for the PyTorch fixtures written by tools/gen_primus_fixtures.py (tests only; not exported).
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
const read = <T>(name: string): T => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;

/** How a tensor is filled: offset + scale · detValues(n, seed), rounded to float32. */
export interface FillRecipe {
  key: string;
  shape: number[];
  seed: number;
  offset: number;
  scale: number;
}

export interface KeysFixture {
  presets: Record<string, {
    patchSize: [number, number, number];
    decodeChannels: number[];
    keys: [key: string, shape: number[], kind: 'param' | 'buffer'][];
    counts: Record<string, number> & { trainable: number; buffers: number };
  }>;
  evaMaeM: { parameters: number; decoder: number; keys: [string, number[]][] };
}

export interface EvaBlockCase {
  name: string;
  keep: number[] | null;
  perSample: number;
  input: FillRecipe;
  lossWeights: FillRecipe;
  output: { shape: number[]; data: number[] };
  gradInput: number[];
  gradParams: Record<string, number[]>;
}

export interface EvaBlockFixture {
  dim: number;
  heads: number;
  grid: [number, number, number];
  batch: number;
  weights: FillRecipe[];
  cases: EvaBlockCase[];
}

export interface PrimusForwardFixture {
  config: { embedDim: number; depth: number; numHeads: number; patchEmbedSize: [number, number, number] };
  patchSize: [number, number, number];
  inChannels: number;
  outChannels: number;
  decodeChannels: number[];
  weights: FillRecipe[];
  input: FillRecipe;
  output: { shape: number[]; data: number[] };
  features: { shape: number[]; data: number[] };
}

export const keysFixture = (): KeysFixture => read('primus-keys.json');
export const evaBlockFixture = (): EvaBlockFixture => read('eva-block.json');
export const primusForwardFixture = (): PrimusForwardFixture => read('primus-forward.json');

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

/** The weights of a fixture as a state dict. */
export function filledDict(recipes: readonly FillRecipe[]): Map<string, Tensor> {
  return new Map(recipes.map((r) => [r.key, filled(r)]));
}

/** Largest |a − e| / max(|e|, floor). */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-3): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(Math.abs(expected[i]!), floor));
  return worst;
}
