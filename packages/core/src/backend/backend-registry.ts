import { didYouMean } from '../errors/did-you-mean.js';
import { OpenMindError } from '../errors/openmind-error.js';
import type { Backend } from './backend.js';

/** A backend that can be created on demand; higher priority wins when none is named. */
export interface BackendProvider {
  readonly name: string;
  readonly priority: number;
  /**
   * Creates and initialises the backend; throws (with the reason) when it cannot start here. `explicit`
   * is true when the user named this backend: a provider may decline to be picked automatically (e.g.
   * WebGPU on a software adapter) yet start when asked for by name.
   */
  create(options?: { explicit: boolean }): Promise<Backend>;
}

/** Why a backend could not start. */
export interface BackendFailure {
  name: string;
  reason: string;
}

/** A backend that started when named; `automatic` says whether `selectBackend` would also pick it unnamed. */
export interface AvailableBackend {
  name: string;
  priority: number;
  automatic: boolean;
  /** Why it is used only when named (its provider's reason), when `automatic` is false. */
  namedOnly?: string;
}

/** What `probeBackends` found: the ones that started, and why the others did not. */
export interface BackendProbe {
  available: AvailableBackend[];
  failures: BackendFailure[];
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

/**
 * Picks and starts a backend: an explicit `name`, else the OPENMIND_BACKEND environment variable, else
 * the registered providers by descending priority, trying the next when one fails to start.
 * @throws OpenMindError listing every registered backend and why each failed.
 */
export async function selectBackend(providers: readonly BackendProvider[], name?: string): Promise<Backend> {
  const wanted = name ?? (typeof process !== 'undefined' ? process.env.OPENMIND_BACKEND : undefined) ?? undefined;
  const names = providers.map((p) => p.name);
  if (wanted) {
    const p = providers.find((q) => q.name === wanted);
    if (!p) {
      throw new OpenMindError(
        `backend '${wanted}' is not registered; registered: ${names.join(', ') || '(none)'}.${didYouMean(wanted, names)}`,
      );
    }
    try {
      return await p.create({ explicit: true });
    } catch (e) {
      throw new OpenMindError(`backend '${wanted}' could not start: ${reasonOf(e)}`, { cause: e });
    }
  }
  const failures: BackendFailure[] = [];
  for (const p of [...providers].sort((a, b) => b.priority - a.priority)) {
    try {
      return await p.create({ explicit: false });
    } catch (e) {
      failures.push({ name: p.name, reason: reasonOf(e) });
    }
  }
  throw new OpenMindError(
    `no backend could start. ${failures.map((f) => `${f.name}: ${f.reason}`).join('; ') || 'No backend is registered.'}`,
  );
}

/** Tries to start every provider (closing each again) and reports which work here and why others do not. */
export async function probeBackends(providers: readonly BackendProvider[]): Promise<BackendProbe> {
  const probe: BackendProbe = { available: [], failures: [] };
  for (const p of [...providers].sort((a, b) => b.priority - a.priority)) {
    // As selectBackend would try it unnamed first; a provider that declines that may still start by name.
    let namedOnly: string | undefined;
    for (const explicit of [false, true]) {
      try {
        const b = await p.create({ explicit });
        await b.close();
        probe.available.push({ name: p.name, priority: p.priority, automatic: !explicit, ...(explicit ? { namedOnly } : {}) });
        break;
      } catch (e) {
        if (explicit) probe.failures.push({ name: p.name, reason: reasonOf(e) });
        else namedOnly = reasonOf(e);
      }
    }
  }
  return probe;
}
