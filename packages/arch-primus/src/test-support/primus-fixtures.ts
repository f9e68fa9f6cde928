import { filled, type FillRecipe } from '@openmind-ssl/testing';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tensor } from '@openmind-ssl/core';

// Readers for the PyTorch fixtures written by tools/gen_primus_fixtures.py (tests only; not exported).
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
const read = <T>(name: string): T => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;

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

/** The weights of a fixture as a state dict. */
export function filledDict(recipes: readonly FillRecipe[]): Map<string, Tensor> {
  return new Map(recipes.map((r) => [r.key, filled(r)]));
}

export { detValues, filled, maxRelativeError, type FillRecipe } from '@openmind-ssl/testing';
