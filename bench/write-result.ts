import { join } from 'node:path';
import { writeFileAtomic } from '@openmind-ssl/core';
import { assertFairReference } from './fair-reference.js';

export interface WriteResultOptions {
  /** The result compares against PyTorch: at least one row must record its build (torch_build). */
  requireTorch?: boolean;
  /** Our thread count; every PyTorch reference must have run on the same. */
  threads?: number;
  /** Folder of the result files (tests write elsewhere). */
  dir?: string;
}

/**
 * Writes bench/results/<name>.json atomically (a killed benchmark never leaves half a file), after
 * checking that every PyTorch reference in it ran on an optimized BLAS with our thread count.
 * @throws Error when a reference is unfair; nothing is written then.
 */
export async function writeResult(name: string, result: unknown, options: WriteResultOptions = {}): Promise<string> {
  assertFairReference(name, result, options);
  const path = join(options.dir ?? join('bench', 'results'), `${name}.json`);
  await writeFileAtomic(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}
