import { OpenMindError } from '../errors/openmind-error.js';
import { validatePlugin, type OpenMindPlugin } from './plugin.js';

/**
 * Imports a plugin by npm package name or file path and validates its default export.
 * @throws OpenMindError when the package cannot be found or does not export a valid plugin.
 */
export async function loadPlugin(specifier: string): Promise<OpenMindPlugin> {
  let mod: { default?: unknown };
  try {
    mod = (await import(specifier)) as { default?: unknown };
  } catch (e) {
    const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new OpenMindError(`cannot load plugin '${specifier}': ${reason}. Is the package installed (npm install ${specifier})?`, { cause: e });
  }
  return validatePlugin(mod.default, specifier);
}
