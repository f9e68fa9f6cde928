// ORT writes one profile file per session; a benchmark that profiles one run wants the session that ran it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The trace events of the profile file in `dir` with the most runs: the session a profiled loop ran (its last run is the profiled one). */
export function profiledSessionEvents(dir: string): unknown[] {
  const runs = (events: unknown[]) => events.filter((e) => (e as { name?: string }).name === 'model_run').length;
  const files = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown[]);
  return files.sort((a, b) => runs(b) - runs(a))[0] ?? [];
}
