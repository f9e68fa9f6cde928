import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'core');

export interface FixtureArray {
  shape: number[];
  data: number[];
}

/** Reads fixtures/core/<name>.json (written by tools/gen_core_fixtures.py). */
export function coreFixture<T>(name: 'modules' | 'optimizers' | 'optimizer-groups' | 'schedules'): T {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as T;
}

export { maxRelativeError } from '../fixtures/deterministic-values.js';
