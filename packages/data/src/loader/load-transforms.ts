import { OpenMindError, type Augmentation, type ViewPipeline, type ViewSampler, type WorkerModuleSpec } from '@openmind-ssl/core';
import type { BatchTransforms } from './build-batch.js';
import { isAugmentation, isViewSampler, loadAugmentation, loadViewSampler, normalizeModuleSpec } from './worker-module.js';

/** A view pipeline of module specs only: what worker threads can be given. */
export type ViewPipelineSpec = ViewPipeline;

/**
 * A view pipeline for the loader: module specs (core's `ViewPipeline`), or, when batches are built on the
 * calling thread (`workers: 0`), the sampler and augmentation objects themselves.
 */
export interface LoaderViewPipeline {
  sampler: WorkerModuleSpec | ViewSampler;
  views: readonly { name: string; augmentation?: WorkerModuleSpec | Augmentation; crops?: number }[];
}

/**
 * Checks a view pipeline: at least one view, unique non-empty names, positive integer crop counts.
 * @throws OpenMindError naming the field.
 */
export function validateViewPipeline(p: LoaderViewPipeline): void {
  if (!p.sampler) throw new OpenMindError('PatchLoader: views.sampler must be a module spec ({ module, exportName, args }) or a ViewSampler, but it is missing.');
  if (!Array.isArray(p.views) || p.views.length === 0) throw new OpenMindError('PatchLoader: views.views must list at least one view ({ name, augmentation? }), but it is empty.');
  const seen = new Set<string>();
  for (const [i, v] of p.views.entries()) {
    if (typeof v.name !== 'string' || v.name === '') throw new OpenMindError(`PatchLoader: views.views[${i}].name must be a non-empty string, but got ${JSON.stringify(v.name)}.`);
    if (seen.has(v.name)) throw new OpenMindError(`PatchLoader: views.views names must be unique, but "${v.name}" appears twice.`);
    seen.add(v.name);
    if (v.crops !== undefined && !(Number.isInteger(v.crops) && v.crops > 0)) throw new OpenMindError(`PatchLoader: views.views[${i}].crops ("${v.name}") must be a positive integer, but got ${v.crops}.`);
  }
}

/** Whether a pipeline holds any object (which cannot be sent to a worker thread). */
export function objectsIn(augmentation: WorkerModuleSpec | Augmentation | undefined, views: LoaderViewPipeline | undefined): string[] {
  const found: string[] = [];
  if (augmentation && isAugmentation(augmentation)) found.push(`augmentation "${augmentation.name}"`);
  if (views && isViewSampler(views.sampler)) found.push(`view sampler "${views.sampler.name}"`);
  for (const v of views?.views ?? []) if (v.augmentation && isAugmentation(v.augmentation)) found.push(`augmentation "${v.augmentation.name}" of view "${v.name}"`);
  return found;
}

/** The pipeline with relative module paths made absolute, for worker threads (objects must be gone). */
export function normalizeViewPipeline(p: LoaderViewPipeline): ViewPipelineSpec {
  return {
    sampler: normalizeModuleSpec(p.sampler as WorkerModuleSpec),
    views: p.views.map((v) => ({
      name: v.name,
      ...(v.augmentation ? { augmentation: normalizeModuleSpec(v.augmentation as WorkerModuleSpec) } : {}),
      ...(v.crops !== undefined ? { crops: v.crops } : {}),
    })),
  };
}

/** Imports whatever is given as a module spec and returns the transforms a batch is built with. */
export async function loadTransforms(augmentation?: WorkerModuleSpec | Augmentation, views?: LoaderViewPipeline): Promise<BatchTransforms> {
  const aug = (a: WorkerModuleSpec | Augmentation | undefined) => (a === undefined ? undefined : isAugmentation(a) ? a : loadAugmentation(a));
  const out: BatchTransforms = {};
  const single = await aug(augmentation);
  if (single) out.augmentation = single;
  if (views) {
    const sampler = isViewSampler(views.sampler) ? views.sampler : await loadViewSampler(views.sampler);
    const list = await Promise.all(
      views.views.map(async (v) => {
        const a = await aug(v.augmentation);
        return { name: v.name, ...(a ? { augmentation: a } : {}), ...(v.crops !== undefined ? { crops: v.crops } : {}) };
      }),
    );
    out.views = { sampler, views: list };
  }
  return out;
}
