import type { ContainerModule } from 'inversify';
import type { ZodType } from 'zod';
import { OpenMindError } from '../errors/openmind-error.js';

/**
 * The plugin API major version this core implements; a plugin declares the one it was built for.
 * 2: the host validates method configs (factories no longer parse them), a plugin may bind several
 * services, TaskId replaces TaskHeadId, methods may add report panels.
 */
export const CORE_API_VERSION = 2;

/** Who a plugin is. What it provides is what its module binds (Runtime.bindings lists it). */
export interface PluginMeta {
  /** Unique package-level id (two loaded plugins of one name are refused). */
  name: string;
  version: string;
  /** Core plugin API major version the plugin was built against. */
  coreApi: number;
}

/**
 * A plugin: an npm package whose default export is this object. Its container module binds any number
 * of services under core's tokens (di/tokens.ts), each named by its id with `whenNamed` — one package may
 * publish several methods, architectures, backends or tasks.
 */
export interface OpenMindPlugin {
  meta: PluginMeta;
  module: ContainerModule;
}

/** Identity with types: the conventional way to write a plugin's default export. */
export function definePlugin(plugin: OpenMindPlugin): OpenMindPlugin {
  return plugin;
}

/**
 * Checks a plugin object's shape and API version.
 * @throws OpenMindError naming the plugin (or its source) and what is wrong.
 */
export function validatePlugin(value: unknown, source = 'plugin'): OpenMindPlugin {
  const p = value as Partial<OpenMindPlugin> | undefined;
  const meta = p?.meta as Partial<PluginMeta> | undefined;
  if (!p || typeof p !== 'object' || !meta || typeof meta.name !== 'string' || !meta.name) {
    throw new OpenMindError(`${source}: not an OpenMind plugin (expected a default export with meta.name, meta.version, meta.coreApi and module)`);
  }
  const who = `plugin '${meta.name}'${source === 'plugin' ? '' : ` (${source})`}`;
  if (typeof meta.version !== 'string') throw new OpenMindError(`${who}: meta.version must be a string`);
  if (typeof meta.coreApi !== 'number') throw new OpenMindError(`${who}: meta.coreApi must be a number`);
  if (meta.coreApi !== CORE_API_VERSION) {
    throw new OpenMindError(
      `${who} was built for core API ${meta.coreApi}, this @openmind-ssl/core implements API ${CORE_API_VERSION}; ` +
        `install a version of the plugin built for core API ${CORE_API_VERSION} (its meta.coreApi)`,
    );
  }
  if (!p.module || typeof (p.module as { id?: unknown }).id !== 'number') {
    throw new OpenMindError(`${who}: module must be an inversify ContainerModule`);
  }
  return p as OpenMindPlugin;
}

/**
 * Validates a config against a zod schema, filling defaults.
 * @throws OpenMindError naming the owner and every failing field with what was expected.
 */
export function parseConfig<C>(owner: string, schema: ZodType<C>, raw: unknown): C {
  const r = schema.safeParse(raw ?? {});
  if (r.success) return r.data;
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  const known = shape ? ` (options: ${Object.keys(shape).join(', ')})` : '';
  const fields = r.error.issues.map((i) => (i.code === 'unrecognized_keys'
    ? i.keys.map((k) => `'${[...i.path, k].join('.')}': not an option${known}`).join('; ')
    : `'${i.path.join('.') || '(root)'}': ${i.message}`));
  throw new OpenMindError(`${owner}: invalid config — ${fields.join('; ')}`);
}
