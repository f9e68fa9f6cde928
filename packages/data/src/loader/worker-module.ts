import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OpenMindError, type Augmentation } from '@openmind-ssl/core';

/**
 * How a data worker builds its augmentation: functions cannot cross a thread boundary, so the worker
 * imports a module and calls a factory (or takes an exported `Augmentation` object) itself.
 * @example { module: '@openmind-ssl/augment', exportName: 'maeSpatialPipeline', args: [[160, 160, 160]] }
 */
export interface AugmentationSpec {
  /** Package name, absolute path, `file:` URL, or a path relative to the current directory. */
  module: string;
  /** Export to use; default 'default'. */
  exportName?: string;
  /** Arguments of the factory (structured-cloneable). Ignored when the export is an Augmentation object. */
  args?: unknown[];
}

/** Makes relative module paths absolute (file URLs) so they resolve the same inside a worker. */
export function normalizeAugmentationSpec(spec: AugmentationSpec): AugmentationSpec {
  const m = spec.module;
  if (m.startsWith('.') || isAbsolute(m)) return { ...spec, module: pathToFileURL(resolve(m)).href };
  return spec;
}

function isAugmentation(v: unknown): v is Augmentation {
  return typeof v === 'object' && v !== null && typeof (v as Augmentation).apply === 'function';
}

/**
 * Imports the module and returns its augmentation.
 * @throws OpenMindError when the export is missing or does not give an object with `apply(sample, rng)`.
 */
export async function loadAugmentation(spec: AugmentationSpec): Promise<Augmentation> {
  const mod = (await import(spec.module)) as Record<string, unknown>;
  const name = spec.exportName ?? 'default';
  const exp = mod[name];
  if (exp === undefined) {
    throw new OpenMindError(`loader: augmentation module "${spec.module}" must export "${name}", but it exports ${Object.keys(mod).join(', ') || 'nothing'}.`);
  }
  let aug: unknown = exp;
  if (typeof exp === 'function' && !isAugmentation(exp)) {
    const args = spec.args ?? [];
    // A class (e.g. a transform) is constructed; a plain function is a factory.
    aug = /^class[\s{]/.test(Function.prototype.toString.call(exp))
      ? new (exp as new (...a: unknown[]) => unknown)(...args)
      : (exp as (...a: unknown[]) => unknown)(...args);
  }
  if (!isAugmentation(aug)) {
    throw new OpenMindError(`loader: augmentation "${name}" of "${spec.module}" must be an Augmentation (an object with apply(sample, rng)) or a factory returning one, but it is not.`);
  }
  return aug;
}
