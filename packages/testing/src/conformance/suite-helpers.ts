import type { Backend } from '@openmind-ssl/core';
import { afterAll, beforeAll, it } from 'vitest';
import { skipReason } from './skip-list.js';

/**
 * Creates and initialises the backend once for the enclosing describe block and closes it afterwards.
 * Returns a getter that throws a clear error if creation failed (beforeAll reports the cause itself).
 */
export function useBackend(name: string, create: () => Promise<Backend>): () => Backend {
  let backend: Backend | undefined;
  beforeAll(async () => {
    const b = await create();
    await b.init();
    backend = b;
  });
  afterAll(async () => {
    await backend?.close();
  });
  return () => {
    if (!backend) throw new Error(`${name}: create() or init() failed; see the error of the beforeAll hook.`);
    return backend;
  };
}

/** Registers a test, or a skipped test that shows its reason when `skip` covers `id`. */
export function itUnlessSkipped(
  skip: Readonly<Record<string, string>>, id: string, title: string, body: () => Promise<void>,
): void {
  const reason = skipReason(skip, id);
  if (reason !== undefined) it.skip(`${id} (skipped: ${reason})`, body);
  else it(title, body);
}
