import { ContainerModule, type ServiceIdentifier } from 'inversify';

/** One service a plugin bound under a token and a name (`bind(token)….whenNamed(name)`). */
export interface NamedBinding {
  readonly token: ServiceIdentifier<unknown>;
  readonly name: string;
  /** meta.name of the plugin whose module made the binding. */
  readonly plugin: string;
}

/**
 * Wraps a plugin's container module so that every `whenNamed(name)` of its bindings is reported to
 * `record` while the module loads. Inversify keeps a binding's name inside a closure and has no public
 * way to list bindings, so the runtime learns them here, from the fluent calls themselves.
 */
export function recordNamedBindings(
  module: ContainerModule,
  record: (token: ServiceIdentifier<unknown>, name: string) => void,
): ContainerModule {
  return new ContainerModule((options) => module.load({
    ...options,
    bind: <T>(token: ServiceIdentifier<T>) => watchChain(options.bind(token), (name) => record(token, name)),
    rebind: <T>(token: ServiceIdentifier<T>) => watchChain(options.rebind(token), (name) => record(token, name)),
  }));
}

/**
 * A view of a fluent-syntax object whose methods forward to the real one (so inversify's private fields
 * keep working) and whose results are watched too, reporting each `whenNamed` argument.
 */
function watchChain<T extends object>(target: T, onNamed: (name: string) => void): T {
  return new Proxy(target, {
    get(obj, key) {
      const value: unknown = Reflect.get(obj, key, obj);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (key === 'whenNamed' && typeof args[0] === 'string') onNamed(args[0]);
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(obj, args);
        return result !== null && typeof result === 'object' ? watchChain(result, onNamed) : result;
      };
    },
  });
}
