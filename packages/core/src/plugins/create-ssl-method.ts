import { parseConfig } from './plugin.js';
import type { SSLMethod, SSLMethodContext, SSLMethodFactory } from './ssl-method.js';

/** A method's context as the host has it: the user's config still raw (JSON from a file or a flag). */
export type RawSSLMethodContext = Omit<SSLMethodContext<unknown>, 'config'> & { config?: unknown };

/**
 * Builds a method the way every host does: validates the raw config once with the factory's schema for
 * the chosen architecture (filling defaults), then calls `create` with the parsed config.
 * @throws OpenMindError naming the method and every invalid field.
 */
export function createSslMethod<C>(factory: SSLMethodFactory<C>, context: RawSSLMethodContext): SSLMethod {
  const config = parseConfig(`SSL method '${factory.id}'`, factory.configSchema(context.architecture), context.config);
  return factory.create({ ...context, config });
}
