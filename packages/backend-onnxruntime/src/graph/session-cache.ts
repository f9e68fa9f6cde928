import { createHash } from 'node:crypto';
import type { OrtModule, OrtSession, OrtSessionOptions } from '../ort/ort-module.js';

/** Keys remembered as "compiled before" (32-byte hashes; bounded so a run that never repeats stays small). */
const SEEN_LIMIT = 4096;

interface Entry {
  readonly session: Promise<OrtSession>;
  /** Evaluations that used the session. */
  uses: number;
  /** Compiled at least twice: its graph comes back, so it is not released as a one-off. */
  readonly recurring: boolean;
}

/**
 * InferenceSessions keyed by a hash of the model bytes. Canonical naming (see compileGraph) makes the
 * bytes a structural key: ops, attributes, shapes, dtypes and constants.
 *
 * Each session owns ORT's CPU arena, which keeps the peak memory of its runs. So that arenas of graphs
 * that never come back do not add up, a session that ran once is released when another graph is
 * compiled, unless its graph had been compiled before: a training loop's first step (compiled before
 * the optimizer state exists) no longer holds a step's worth of memory next to the second, while two
 * graphs that alternate are each compiled twice and then kept. Beyond `capacity`, the least recently
 * used sessions are released too.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly seen = new Set<string>();
  /** Sessions created (cache misses), for tests and diagnostics. */
  created = 0;
  /** Sessions released (one-offs and capacity), for tests and diagnostics. */
  released = 0;

  constructor(
    private readonly ort: OrtModule,
    private readonly options: OrtSessionOptions,
    private readonly capacity: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The session of this model, compiled on first use. `withoutArena` compiles it without ORT's CPU arena
   * (for graphs whose arena would only pin memory; see GraphExecutor).
   */
  async get(model: Uint8Array, withoutArena = false): Promise<OrtSession> {
    const key = createHash('sha256').update(model).digest('base64');
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Re-insert to mark as most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      hit.uses++;
      return hit.session;
    }
    // Before compiling (and later running) a new graph, release the one-offs: their arenas would add up.
    const oneOffs = [...this.entries].filter(([, e]) => e.uses === 1 && !e.recurring);
    for (const [k] of oneOffs) this.entries.delete(k);
    await Promise.all(oneOffs.map(([, e]) => this.release(e)));
    const recurring = this.seen.has(key);
    this.seen.add(key);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value!);
    const session = this.ort.InferenceSession.create(model, withoutArena ? { ...this.options, enableCpuMemArena: false } : this.options);
    this.created++;
    this.entries.set(key, { session, uses: 1, recurring });
    // A failed compile must not poison the cache: the next call retries (and reports) it.
    session.catch(() => this.entries.delete(key));
    while (this.entries.size > this.capacity) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldest);
      void this.release(entry);
    }
    return session;
  }

  private async release(e: Entry): Promise<void> {
    this.released++;
    await e.session.then((s) => s.release(), () => undefined);
  }

  async endProfiling(): Promise<void> {
    for (const e of this.entries.values()) {
      const s = await e.session.catch(() => undefined);
      s?.endProfiling();
    }
  }

  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => this.release(e)));
  }
}
