import { OpenMindError } from '@openmind-ssl/core';

/** Environment the `$VAR` prefixes are looked up in. */
export type PathEnv = Readonly<Record<string, string | undefined>>;

/** The variables nnssl writes paths relative to. */
export const NNSSL_PATH_VARS: readonly string[] = ['nnssl_raw', 'nnssl_preprocessed'];

/**
 * Resolves a path whose first component is `$NAME` against the environment variable NAME (nnssl
 * `resolve_relative_paths`); other paths are returned unchanged. A trailing slash of the variable is
 * dropped. Only the prefix is replaced (nnssl replaces every occurrence of it, a bug we do not copy).
 * @throws OpenMindError when the variable is not set
 */
export function resolveEnvPath(path: string, env: PathEnv, where = 'path'): string {
  const first = path.split('/')[0]!;
  if (!first.startsWith('$')) return path;
  const name = first.slice(1);
  let value = env[name];
  if (value === undefined || value === '') {
    throw new OpenMindError(
      `${where}: "${path}" starts with $${name}, but the environment variable ${name} is not set.\nHint: export ${name}=/path/to/the/folder it stands for.`,
    );
  }
  if (value.endsWith('/')) value = value.slice(0, -1);
  return value + path.slice(first.length);
}

/**
 * Rewrites an absolute path that lies under one of `vars` (their values taken from `env`) as
 * `$VAR/rest`, the relative form nnssl writes; other paths are returned unchanged.
 */
export function relativizeEnvPath(path: string, env: PathEnv, vars: readonly string[] = NNSSL_PATH_VARS): string {
  for (const name of vars) {
    let root = env[name];
    if (!root) continue;
    if (root.endsWith('/')) root = root.slice(0, -1);
    if (path === root) return `$${name}`;
    if (path.startsWith(`${root}/`)) return `$${name}${path.slice(root.length)}`;
  }
  return path;
}
