import type { FillRecipe } from '@openmind-ssl/testing';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Readers for the PyTorch fixtures written by tools/gen_resenc_fixtures.py (tests only; not exported).
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

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

export { detValues, filled, maxRelativeError, type FillRecipe } from '@openmind-ssl/testing';
