import { join } from 'node:path';
import { writeFileAtomic } from '@openmind-ssl/core';

/** Writes bench/results/<name>.json atomically (a killed benchmark never leaves half a file). */
export async function writeResult(name: string, result: unknown): Promise<string> {
  const path = join('bench', 'results', `${name}.json`);
  await writeFileAtomic(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}
