import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuPerCore, defaultThreadCount, workerAffinities } from './cpu-cores.js';

/** A fake /sys/devices/system/cpu: one entry per CPU as [package, core], or null for an offline CPU. */
function fakeSysfs(cpus: ([number, number] | null)[]): string {
  const root = mkdtempSync(join(tmpdir(), 'cpu-cores-'));
  cpus.forEach((topology, i) => {
    const dir = join(root, `cpu${i}`, 'topology');
    mkdirSync(topology ? dir : join(root, `cpu${i}`), { recursive: true });
    if (!topology) return;
    writeFileSync(join(dir, 'physical_package_id'), `${topology[0]}\n`);
    writeFileSync(join(dir, 'core_id'), `${topology[1]}\n`);
  });
  mkdirSync(join(root, 'cpufreq'));
  return root;
}

describe('cpuPerCore', () => {
  const roots: string[] = [];
  const sysfs = (cpus: ([number, number] | null)[]) => {
    const r = fakeSysfs(cpus);
    roots.push(r);
    return r;
  };
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('should give one CPU per physical core, the lowest-numbered sibling (SMT pairs 0/2 and 1/3)', () => {
    expect(cpuPerCore(sysfs([[0, 0], [0, 1], [0, 0], [0, 1]]), null)).toEqual([0, 1]);
  });

  it('should count cores with equal ids in different packages apart, and skip offline CPUs', () => {
    expect(cpuPerCore(sysfs([[0, 0], [1, 0], null, [1, 1]]), null)).toEqual([0, 1, 3]);
  });

  it("should keep to the process's affinity mask", () => {
    expect(cpuPerCore(sysfs([[0, 0], [0, 1], [0, 2], [0, 3]]), new Set([2, 3]))).toEqual([2, 3]);
  });

  it('should fall back to one CPU per logical processor without sysfs', () => {
    expect(cpuPerCore(join(tmpdir(), 'no-such-sysfs'), null).length).toBeGreaterThan(0);
  });
});

describe('workerAffinities', () => {
  it("should leave the first CPU to ORT's calling thread and number the workers' CPUs from 1", () => {
    expect(workerAffinities([0, 1])).toBe('2');
    expect(workerAffinities([0, 2, 4, 6])).toBe('3;5;7');
    expect(workerAffinities([3])).toBeUndefined();
  });
});

describe('defaultThreadCount', () => {
  it('should take OMP_NUM_THREADS when it is a positive whole number, else one thread per core', () => {
    expect(defaultThreadCount({ OMP_NUM_THREADS: '1' }, [0, 1])).toBe(1);
    expect(defaultThreadCount({}, [0, 1])).toBe(2);
    expect(defaultThreadCount({ OMP_NUM_THREADS: '0' }, [0, 1, 2])).toBe(3);
    expect(defaultThreadCount({ OMP_NUM_THREADS: 'two' }, [0, 1, 2])).toBe(3);
  });
});
