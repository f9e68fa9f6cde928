import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'core');

export interface FixtureArray {
  shape: number[];
  data: number[];
}

/** Reads fixtures/core/<name>.json (written by tools/gen_core_fixtures.py). */
export function coreFixture<T>(name: 'modules' | 'optimizers' | 'schedules'): T {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as T;
}

/** Largest |a − e| / max(|e|, floor) over two arrays. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-3): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(Math.abs(expected[i]!), floor));
  }
  return worst;
}
