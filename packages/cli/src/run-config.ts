import { OpenMindError } from '@openmind-ssl/core';

/** A run configuration file (--config): plugins to load and the method's own options. */
export interface RunConfigFile {
  plugins?: string[];
  method?: string;
  arch?: string;
  methodConfig?: Record<string, unknown>;
}

const SHAPE = '{"plugins": [...], "method": "...", "arch": "...", "methodConfig": {...}}';

/**
 * Checks a parsed --config file field by field, so a wrong type is named here rather than failing as a
 * TypeError deep in plugin loading.
 * @throws OpenMindError naming the file and the field (unknown keys, with the known ones).
 */
export function parseRunConfig(json: unknown, file: string): RunConfigFile {
  const fail = (what: string): never => {
    throw new OpenMindError(`--config: '${file}': ${what}; expected ${SHAPE}`);
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return fail(`the file must hold a JSON object, but holds ${JSON.stringify(json)?.slice(0, 40)}`);
  const o = json as Record<string, unknown>;
  const known = ['plugins', 'method', 'arch', 'methodConfig'];
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length) fail(`unknown key(s) ${unknown.map((k) => `'${k}'`).join(', ')}`);
  if (o['plugins'] !== undefined && !(Array.isArray(o['plugins']) && o['plugins'].every((p) => typeof p === 'string'))) fail("'plugins' must be a list of package names");
  for (const k of ['method', 'arch'] as const) if (o[k] !== undefined && typeof o[k] !== 'string') fail(`'${k}' must be a string`);
  const mc = o['methodConfig'];
  if (mc !== undefined && (mc === null || typeof mc !== 'object' || Array.isArray(mc))) fail("'methodConfig' must be an object of the method's options");
  return o as RunConfigFile;
}
