import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * The logical CPUs this process may run on, one per physical core (the lowest-numbered sibling), from
 * Linux's sysfs topology and the process's affinity mask. ONNX Runtime's own count (`intraOpNumThreads`
 * 0) reads the topology from CPUID, which a VM may present differently from what the kernel schedules:
 * on this project's 2-core AMD EPYC VM it counts one core, so a step ran on one thread of two.
 * Elsewhere (no sysfs, or it cannot be read): `availableParallelism()` CPUs, numbered from 0.
 */
export function cpuPerCore(root = '/sys/devices/system/cpu', allowed: ReadonlySet<number> | null = allowedCpus()): number[] {
  try {
    const byCore = new Map<string, number>();
    const ids = readdirSync(root).filter((d) => /^cpu\d+$/.test(d)).map((d) => Number(d.slice(3))).sort((a, b) => a - b);
    for (const cpu of ids) {
      if (allowed && !allowed.has(cpu)) continue;
      const topology = `${root}/cpu${cpu}/topology`;
      let core: string;
      try {
        core = `${readFileSync(`${topology}/physical_package_id`, 'utf8').trim()}/${readFileSync(`${topology}/core_id`, 'utf8').trim()}`;
      } catch {
        continue; // offline CPUs have no topology
      }
      if (!byCore.has(core)) byCore.set(core, cpu);
    }
    if (byCore.size > 0) return [...byCore.values()];
  } catch {
    // no sysfs: fall through
  }
  return Array.from({ length: availableParallelism() }, (_, i) => i);
}

/** The CPUs in this process's affinity mask (Cpus_allowed_list of /proc/self/status), or null. */
function allowedCpus(): Set<number> | null {
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return null;
  }
  const m = /Cpus_allowed_list:\s*(\S+)/.exec(status);
  if (!m) return null;
  const cpus = new Set<number>();
  for (const part of m[1]!.split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let c = a!; c <= (b ?? a!); c++) cpus.add(c);
  }
  return cpus;
}

/**
 * ORT's `session.intra_op_thread_affinities` for one thread per listed CPU: ORT runs part of each operator
 * on the calling thread, which it never pins, so the first CPU is left to it and each worker gets one of
 * the others (ORT numbers logical processors from 1). Undefined for a single thread.
 */
export function workerAffinities(cpus: readonly number[]): string | undefined {
  return cpus.length > 1 ? cpus.slice(1).map((c) => String(c + 1)).join(';') : undefined;
}

/**
 * The default intra-op thread count: `OMP_NUM_THREADS` when it holds a positive whole number (the knob
 * PyTorch and most numeric libraries honour, e.g. one per process when several share a machine), else one
 * per physical core.
 */
export function defaultThreadCount(env: Record<string, string | undefined> = process.env, cores: readonly number[] = cpuPerCore()): number {
  const omp = Number(env['OMP_NUM_THREADS']);
  return Number.isInteger(omp) && omp > 0 ? omp : cores.length;
}
