import {
  type ArchitectureFactory, ArchitectureId, type BackendFailure, BackendId, type BackendProvider, createRuntime, loadPlugin, type OpenMindPlugin, type Runtime,
} from '@openmind-ssl/core';

/** Plugins the CLI loads by default: compute backends, architectures, SSL methods and tasks of this project. */
export const BUILTIN_PLUGINS = [
  '@openmind-ssl/backend-onnxruntime',
  '@openmind-ssl/backend-webgpu',
  '@openmind-ssl/backend-tfjs',
  '@openmind-ssl/arch-resenc',
  '@openmind-ssl/arch-primus',
  '@openmind-ssl/ssl-mae',
  '@openmind-ssl/ssl-spark',
  '@openmind-ssl/ssl-simmim',
  '@openmind-ssl/ssl-models-genesis',
  '@openmind-ssl/ssl-volume-fusion',
  '@openmind-ssl/ssl-simclr',
  '@openmind-ssl/ssl-voco',
  '@openmind-ssl/ssl-swinunetr',
  '@openmind-ssl/task-segmentation',
] as const;

/** Loaded plugins and the built-in ones that could not be imported (with why). */
export interface LoadedPlugins {
  plugins: OpenMindPlugin[];
  missing: BackendFailure[];
}

/**
 * Imports the built-in plugins (skipping, with a reason, those not installed) and the user's plugins
 * (`--plugin` or the config file; these must load).
 */
export async function loadPlugins(extra: readonly string[] = []): Promise<LoadedPlugins> {
  const plugins: OpenMindPlugin[] = [];
  const missing: BackendFailure[] = [];
  for (const name of BUILTIN_PLUGINS) {
    try {
      plugins.push(await loadPlugin(name));
    } catch (e) {
      missing.push({ name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  for (const name of extra) plugins.push(await loadPlugin(name));
  return { plugins, missing };
}

/** A runtime over the loaded plugins, without a backend yet. */
export function runtimeOf(loaded: LoadedPlugins): Runtime {
  return createRuntime({ plugins: loaded.plugins });
}

/** Every architecture factory bound in the runtime (the one that builds a plan's arch_class_name is picked from these). */
export function architectureFactories(rt: Runtime): ArchitectureFactory[] {
  return rt.names(ArchitectureId).map((n) => rt.resolve(ArchitectureId, n));
}

/** Every backend provider bound in the runtime. */
export function backendProviders(rt: Runtime): BackendProvider[] {
  return rt.names(BackendId).map((n) => rt.resolve(BackendId, n));
}
