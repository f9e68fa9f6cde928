import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Test helpers for the fixtures written by tools/gen_interop_fixtures.py (tests only; not exported). The value
// generator (filledValues) and the Python runner are @openmind-ssl/testing's.
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
export const TOOLS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tools');

export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

export function fixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
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
