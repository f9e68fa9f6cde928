import { createHash } from 'node:crypto';
import type { OrtModule, OrtSession, OrtSessionOptions } from '../ort/ort-module.js';

/**
 * InferenceSessions keyed by a hash of the model bytes. Canonical naming (see compileGraph) makes the
 * bytes a structural key: ops, attributes, shapes, dtypes and constants. Least recently used sessions
 * are released past `capacity`, so a run that keeps changing shapes does not hoard native memory.
 */
export class SessionCache {
  private readonly sessions = new Map<string, Promise<OrtSession>>();
  /** Sessions created (cache misses), for tests and diagnostics. */
  created = 0;

  constructor(
    private readonly ort: OrtModule,
    private readonly options: OrtSessionOptions,
    private readonly capacity: number,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  get(model: Uint8Array): Promise<OrtSession> {
    const key = createHash('sha256').update(model).digest('base64');
    const hit = this.sessions.get(key);
    if (hit !== undefined) {
      // Re-insert to mark as most recently used.
      this.sessions.delete(key);
      this.sessions.set(key, hit);
      return hit;
    }
    const created = this.ort.InferenceSession.create(model, this.options);
    this.created++;
    this.sessions.set(key, created);
    // A failed compile must not poison the cache: the next call retries (and reports) it.
    created.catch(() => this.sessions.delete(key));
    while (this.sessions.size > this.capacity) {
      const [oldest, session] = this.sessions.entries().next().value as [string, Promise<OrtSession>];
      this.sessions.delete(oldest);
      void session.then((s) => s.release(), () => undefined);
    }
    return created;
  }

  async clear(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((p) => p.then((s) => s.release(), () => undefined)));
  }
}
