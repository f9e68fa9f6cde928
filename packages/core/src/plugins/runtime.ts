import { Container, type ServiceIdentifier } from 'inversify';
import type { Backend } from '../backend/backend.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { OpenMindError } from '../errors/openmind-error.js';
import {
  ArchitectureId, AugmentationId, BackendId, DatasetSourceId, SSLMethodId, TaskId,
} from '../di/tokens.js';
import { type Engine } from '../tensor/engine.js';
import { setBackend } from '../tensor/current-engine.js';
import type { ArchitectureFactory } from './architecture.js';
import { findArchitecture } from './find-architecture.js';
import { type NamedBinding, recordNamedBindings } from './named-bindings.js';
import { validatePlugin, type OpenMindPlugin } from './plugin.js';

/** The composition root: loaded plugins in one container, and the backend tensors are created on. */
export interface Runtime {
  readonly container: Container;
  readonly plugins: ReadonlyMap<string, OpenMindPlugin>;
  readonly backend: Backend | undefined;
  readonly engine: Engine | undefined;
  /** Every named binding the plugins' modules made, in load order (what `openmind plugins` lists). */
  readonly bindings: readonly NamedBinding[];
  /** Resolves a named service (e.g. `resolve(SSLMethodId, 'mae')`), with a did-you-mean error. */
  resolve<T>(token: ServiceIdentifier<T>, name: string): T;
  /** Names bound under a token, in load order. */
  names(token: ServiceIdentifier<unknown>): string[];
  /**
   * The architecture family whose factory lists `preset` among its presets.
   * @throws OpenMindError listing every preset (with the closest) when none does, or naming both owners.
   */
  architectureOf(preset: string): { family: string; factory: ArchitectureFactory };
}

/** What each core token binds, in words (error messages, listings). */
export const TOKEN_LABELS: ReadonlyMap<ServiceIdentifier<unknown>, string> = new Map<ServiceIdentifier<unknown>, string>([
  [SSLMethodId, 'SSL method'],
  [ArchitectureId, 'architecture'],
  [BackendId, 'backend'],
  [AugmentationId, 'augmentation'],
  [TaskId, 'task'],
  [DatasetSourceId, 'dataset source'],
]);

/** A token in words: its label for core tokens, else its description. */
export function tokenLabel(token: ServiceIdentifier<unknown>): string {
  return TOKEN_LABELS.get(token) ?? (typeof token === 'symbol' ? token.description ?? 'service' : typeof token === 'function' ? token.name : token);
}

/**
 * Creates a fresh container, loads every plugin's module into it (recording the names it binds), and
 * (when given) makes `backend` the current backend.
 * @throws OpenMindError for an invalid plugin, an incompatible core API version, two plugins of one name,
 * or two plugins binding the same name under the same token.
 */
export function createRuntime(options: { backend?: Backend; plugins: readonly unknown[] }): Runtime {
  const container = new Container();
  const plugins = new Map<string, OpenMindPlugin>();
  const bindings: NamedBinding[] = [];
  for (const raw of options.plugins) {
    const plugin = validatePlugin(raw);
    const existing = plugins.get(plugin.meta.name);
    if (existing) {
      throw new OpenMindError(
        `two plugins are named '${plugin.meta.name}' (versions ${existing.meta.version} and ${plugin.meta.version}); ` +
          'remove one of them or rename the plugin',
      );
    }
    plugins.set(plugin.meta.name, plugin);
    container.load(recordNamedBindings(plugin.module, (token, name) => {
      const twin = bindings.find((b) => b.token === token && b.name === name);
      if (twin) {
        throw new OpenMindError(
          `plugins '${twin.plugin}' and '${plugin.meta.name}' both provide the ${tokenLabel(token)} '${name}'; load only one of them`,
        );
      }
      bindings.push({ token, name, plugin: plugin.meta.name });
    }));
  }
  const engine = options.backend ? setBackend(options.backend) : undefined;
  const names = (token: ServiceIdentifier<unknown>): string[] => bindings.filter((b) => b.token === token).map((b) => b.name);
  const resolve = <T>(token: ServiceIdentifier<T>, name: string): T => {
    if (!container.isBound(token, { name })) {
      const known = names(token);
      throw new OpenMindError(
        `unknown ${tokenLabel(token)} '${name}'; available: ${known.join(', ') || '(none loaded)'}.${didYouMean(name, known)}` +
          ' Load a plugin that provides it with --plugin <package>.',
      );
    }
    return container.get(token, { name });
  };
  return {
    container,
    plugins,
    backend: options.backend,
    engine,
    bindings,
    names,
    resolve,
    architectureOf: (preset) => findArchitecture(
      names(ArchitectureId).map((family) => ({ family, factory: resolve(ArchitectureId, family) })),
      preset,
    ),
  };
}
