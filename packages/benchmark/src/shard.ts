import { OpenMindError } from '@openmind-ssl/core';
import type { BenchmarkJob } from './jobs.js';

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/**
 * `--shard i/n` (0 ≤ i < n).
 * @throws OpenMindError naming the option and the expected form.
 */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new OpenMindError(`--shard: expected i/n with 0 ≤ i < n (e.g. 0/4, as $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT), got '${text}'`);
  return { index, count };
}

/**
 * The jobs of one shard. Jobs are grouped by depth in the dependency graph (data 0, preprocessing 1, …) and
 * dealt round-robin within each depth, so the n shards are disjoint, cover every job, and each gets a fair
 * part of every stage (a shard whose jobs wait on another shard's waits, see the runner).
 */
export function shardJobs(jobs: readonly BenchmarkJob[], shard: Shard): BenchmarkJob[] {
  const depth = new Map<string, number>();
  for (const j of jobs) depth.set(j.id, j.deps.length ? 1 + Math.max(...j.deps.map((d) => depth.get(d) ?? 0)) : 0);
  const seen = new Map<number, number>();
  return jobs.filter((j) => {
    const d = depth.get(j.id)!;
    const k = seen.get(d) ?? 0;
    seen.set(d, k + 1);
    return k % shard.count === shard.index;
  });
}
