import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Test helpers for the fixtures written by tools/gen_interop_fixtures.py (tests only; not exported).
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
export const TOOLS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tools');
export const PYTHON = '/usr/bin/python3';

export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

export function fixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
}

/** A det_values recipe of arch-resenc's fixture tool: offset + scale · hash values, rounded to float32. */
export interface FillRecipe {
  shape: number[];
  seed: number;
  offset: number;
  scale: number;
}

/** The tools' `det_values`: n values in [-1, 1) from a 32-bit integer hash of (index, seed), bit-exact. */
export function filledValues(r: FillRecipe): Float32Array {
  const n = r.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const salt = (r.seed + 1) * 40503;
  for (let i = 0; i < n; i++) {
    let h = (Math.imul(i, 0x9e3779b1) + salt) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
    h = Math.imul(h, 0x85ebca77) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    out[i] = r.offset + r.scale * (h / 2 ** 31 - 1);
  }
  return out;
}

/** max |a − e| / max |e|: the error relative to the output's scale (no blow-up at zero crossings). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < actual.length; i++) {
    num = Math.max(num, Math.abs(actual[i]! - expected[i]!));
    den = Math.max(den, Math.abs(expected[i]!));
  }
  return num / den;
}

let torchCache: string | undefined | null = null;

/** Why PyTorch cannot be used here, or undefined when /usr/bin/python3 imports torch. */
export function torchUnavailable(): string | undefined {
  if (torchCache !== null) return torchCache;
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  torchCache = r.status === 0 ? undefined : `${PYTHON} cannot import torch (${(r.stderr || String(r.error)).trim().split('\n').at(-1)})`;
  return torchCache;
}

/** Runs a tool script with /usr/bin/python3; throws with its stderr on failure. */
export function runPython(script: string, args: string[]): string {
  const r = spawnSync(PYTHON, [join(TOOLS, script), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}
