import { Container } from 'inversify';
import type { Backend } from '../backend/backend.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { OpenMindError } from '../errors/openmind-error.js';
import {
  ArchitectureId, AugmentationId, BackendId, SSLMethodId, TaskHeadId,
} from '../di/tokens.js';
import { type Engine } from '../tensor/engine.js';
import { setBackend } from '../tensor/current-engine.js';
import type { ServiceIdentifier } from 'inversify';
import { validatePlugin, type OpenMindPlugin } from './plugin.js';

/** The composition root: loaded plugins in one container, and the backend tensors are created on. */
export interface Runtime {
  readonly container: Container;
  readonly plugins: ReadonlyMap<string, OpenMindPlugin>;
  readonly backend: Backend | undefined;
  readonly engine: Engine | undefined;
  /** Resolves a named service (e.g. `resolve(SSLMethodId, 'mae')`), with a did-you-mean error. */
  resolve<T>(token: ServiceIdentifier<T>, name: string): T;
  /** Names bound under a token. */
  names(token: ServiceIdentifier<unknown>): string[];
}

const TOKEN_NAMES = new Map<ServiceIdentifier<unknown>, string>([
  [SSLMethodId, 'SSL method'],
  [ArchitectureId, 'architecture'],
  [BackendId, 'backend'],
  [AugmentationId, 'augmentation'],
  [TaskHeadId, 'task head'],
]);

/**
 * Creates a fresh container, loads every plugin's module into it, and (when given) makes `backend` the
 * current backend.
 * @throws OpenMindError for an invalid plugin, an incompatible core API version, or two plugins of one name.
 */
export function createRuntime(options: { backend?: Backend; plugins: readonly unknown[] }): Runtime {
  const container = new Container();
  const plugins = new Map<string, OpenMindPlugin>();
  const bound = new Map<ServiceIdentifier<unknown>, Set<string>>();
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
    container.load(plugin.module);
  }
  const engine = options.backend ? setBackend(options.backend) : undefined;
  const names = (token: ServiceIdentifier<unknown>): string[] => {
    let s = bound.get(token);
    if (!s) {
      s = new Set();
      for (const p of plugins.values()) if (container.isBound(token, { name: p.meta.name })) s.add(p.meta.name);
      bound.set(token, s);
    }
    return [...s];
  };
  return {
    container,
    plugins,
    backend: options.backend,
    engine,
    names,
    resolve<T>(token: ServiceIdentifier<T>, name: string): T {
      if (!container.isBound(token, { name })) {
        const known = names(token);
        const what = TOKEN_NAMES.get(token) ?? String(token.toString());
        throw new OpenMindError(
          `unknown ${what} '${name}'; available: ${known.join(', ') || '(none loaded)'}.${didYouMean(name, known)}` +
            ' Load a plugin that provides it with --plugin <package>.',
        );
      }
      return container.get(token, { name });
    },
  };
}
