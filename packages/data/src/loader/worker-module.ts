import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OpenMindError, type Augmentation, type ViewSampler, type WorkerModuleSpec } from '@openmind-ssl/core';

/** An augmentation module spec (core's {@link WorkerModuleSpec}; kept as a name for existing callers). */
export type AugmentationSpec = WorkerModuleSpec;

/** Makes relative module paths absolute (file URLs) so they resolve the same inside a worker. */
export function normalizeModuleSpec(spec: WorkerModuleSpec): WorkerModuleSpec {
  const m = spec.module;
  if (m.startsWith('.') || isAbsolute(m)) return { ...spec, module: pathToFileURL(resolve(m)).href };
  return spec;
}

/**
 * Imports `spec.module` and returns the object its export gives: the export itself when `accept` takes
 * it, else the result of constructing it (a class) or calling it (a factory) with `spec.args`.
 * @param what - what the object is, for error messages ('augmentation', 'view sampler').
 * @param shape - the expected shape in words, for error messages.
 * @throws OpenMindError when the export is missing or does not give an object that `accept` takes.
 */
export async function loadWorkerModule<T>(given: WorkerModuleSpec, what: string, shape: string, accept: (v: unknown) => v is T): Promise<T> {
  const spec = normalizeModuleSpec(given);
  const mod = (await import(spec.module)) as Record<string, unknown>;
  const name = spec.exportName ?? 'default';
  const exp = mod[name];
  if (exp === undefined) {
    throw new OpenMindError(`loader: ${what} module "${spec.module}" must export "${name}", but it exports ${Object.keys(mod).join(', ') || 'nothing'}.`);
  }
  let value: unknown = exp;
  if (typeof exp === 'function' && !accept(exp)) {
    const args = spec.args ?? [];
    // A class (e.g. a transform) is constructed; a plain function is a factory.
    value = /^class[\s{]/.test(Function.prototype.toString.call(exp))
      ? new (exp as new (...a: unknown[]) => unknown)(...args)
      : (exp as (...a: unknown[]) => unknown)(...args);
  }
  if (!accept(value)) {
    throw new OpenMindError(`loader: ${what} "${name}" of "${spec.module}" must be ${shape} or a factory returning one, but it is not.`);
  }
  return value;
}

/** Whether `v` is an {@link Augmentation} (an object with `apply`). */
export function isAugmentation(v: unknown): v is Augmentation {
  return typeof v === 'object' && v !== null && typeof (v as Augmentation).apply === 'function';
}

/** Whether `v` is a {@link ViewSampler} (an object with `sample`). */
export function isViewSampler(v: unknown): v is ViewSampler {
  return typeof v === 'object' && v !== null && typeof (v as ViewSampler).sample === 'function';
}

/** Imports an augmentation module and returns its augmentation. */
export function loadAugmentation(spec: WorkerModuleSpec): Promise<Augmentation> {
  return loadWorkerModule(spec, 'augmentation', 'an Augmentation (an object with apply(sample, rng))', isAugmentation);
}

/** Imports a view sampler module and returns its sampler. */
export function loadViewSampler(spec: WorkerModuleSpec): Promise<ViewSampler> {
  return loadWorkerModule(spec, 'view sampler', 'a ViewSampler (an object with sample(source, rng))', isViewSampler);
}
