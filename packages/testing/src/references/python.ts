import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { requireReference } from './require-reference.js';

/**
 * The Python that computes reference values: `$OPENMIND_PYTHON`, else Debian's `/usr/bin/python3` (which
 * has python3-torch, nibabel, scipy and sklearn; a pyenv python3 first on PATH usually has none of them).
 */
export function systemPython(): string {
  return process.env['OPENMIND_PYTHON'] || '/usr/bin/python3';
}

const probes = new Map<string, string | undefined>();

/** Why the system Python cannot import every one of `modules` (naming them), or undefined when it can. Cached per interpreter. */
export function pythonMissing(modules: readonly string[]): string | undefined {
  const python = systemPython();
  const key = `${python}\0${modules.join(',')}`;
  if (!probes.has(key)) {
    let why: string | undefined;
    if (!existsSync(python)) why = `${python} not found (cannot import ${modules.join(', ')})`;
    else {
      const r = spawnSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
      if (r.status !== 0) why = `${python} cannot import ${modules.join(', ')} (${(r.stderr || String(r.error)).trim().split('\n').at(-1)})`;
    }
    probes.set(key, why);
  }
  return probes.get(key);
}

/**
 * {@link requireReference} for Python modules: true when the system Python imports them all; otherwise
 * skip (one line) or, under OPENMIND_REQUIRE_REFERENCES=1, throw naming the modules.
 */
export function requirePython(modules: readonly string[]): boolean {
  return requireReference(`Python with ${modules.join(', ')}`, pythonMissing(modules));
}

/** Runs the system Python with `args` (a script and its arguments, or `-c code`); returns stdout, throws with stderr on failure. */
export function runPython(args: readonly string[], input?: string): string {
  const python = systemPython();
  const r = spawnSync(python, args, { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${python} ${args.slice(0, 2).join(' ')} failed (${r.status ?? r.error}):\n${r.stderr}`);
  return r.stdout;
}
