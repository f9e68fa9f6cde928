import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenMindError } from '@openmind-ssl/core';
import type { TorchFixture } from './torch-fixture.js';

/** fixtures/torch sits at the package root: two levels above src/torch/, one above dist/. */
function fixtureDir(): string {
  for (const rel of ['../../fixtures/torch/', '../fixtures/torch/']) {
    const dir = new URL(rel, import.meta.url);
    if (existsSync(dir)) return fileURLToPath(dir);
  }
  throw new OpenMindError('@openmind-ssl/testing: fixtures/torch was not found next to the package; reinstall @openmind-ssl/testing.');
}

/**
 * Reads every PyTorch golden fixture shipped with the package, sorted by name. Node only (reads files).
 *
 * @param op keep only fixtures of this op ('conv3d', 'convTranspose3d', 'pool3d', 'instanceNorm',
 *   'crossEntropy', 'interpolate')
 */
export function loadTorchFixtures(op?: string): TorchFixture[] {
  const dir = fixtureDir();
  const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as TorchFixture);
  return op === undefined ? fixtures : fixtures.filter((f) => f.op === op);
}
