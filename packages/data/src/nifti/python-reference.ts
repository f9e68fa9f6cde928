import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Test support: runs Debian's Python (`/usr/bin/python3`, which has nibabel and numpy) to compute
 * reference values. Not exported from the package.
 */
export const SYSTEM_PYTHON = process.env['OPENMIND_PYTHON'] ?? '/usr/bin/python3';

/** Whether the system Python can import the given modules; the reason when not. */
export function pythonWith(modules: readonly string[]): { ok: true } | { ok: false; reason: string } {
  if (!existsSync(SYSTEM_PYTHON)) return { ok: false, reason: `${SYSTEM_PYTHON} not found` };
  const r = spawnSync(SYSTEM_PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, reason: `${SYSTEM_PYTHON} cannot import ${modules.join(', ')}: ${r.stderr.trim().split('\n').pop()}` };
  return { ok: true };
}

/** Runs python with arguments (or `-c code`) and returns stdout; throws with stderr on failure. */
export function runPython(args: readonly string[], input?: string): string {
  const r = spawnSync(SYSTEM_PYTHON, args, { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python ${args.slice(0, 2).join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
