import { OpenMindError, type HostTarget, type Sample, type SourceSample } from '@openmind-ssl/core';
import type { Shape3 } from '../preprocess/volume.js';
import type { LoadedViews, PatchBatch, SamplePlan } from './build-batch.js';
import { sampleTargetOf } from './case-targets.js';
import { readPatch } from './read-patch.js';
import { stackTargets } from './stack-targets.js';

/** One view of a batch as a worker builds it: every sample's crops of the view, stacked. */
export interface BatchView {
  /** `[B·k, C, x, y, z]` float32; crop j of sample i at index i·k + j. */
  data: Float32Array;
  shape: [number, number, number, number, number];
  /** Crops per sample (k). */
  crops: number;
  /** The crops' masks (`anon`, `anat`, label volumes), cut and augmented with them: `[B·k, Cm, x, y, z]`. */
  masks: Record<string, { data: Int32Array; shape: number[] }>;
}

/**
 * Reads every sample's crop, hands it to the view sampler, augments each returned crop with its view's
 * augmentation, and stacks views and sampler targets. Generators: per sample, the sampler gets the first
 * fork of the sample's generator and crop j of view v (declared order) the next ones in turn, so every
 * crop depends only on (seed, batch index, sample index).
 */
export async function buildViews(plans: readonly SamplePlan[], patchSize: Shape3, loaded: LoadedViews) {
  const { sampler, views } = loaded;
  const declared = views.map((v) => v.name);
  const patches = await Promise.all(plans.map((p) => readPatch(p.reader, p.start, patchSize)));
  const crops: Sample[][] = views.map(() => []);
  const counts: (number | undefined)[] = views.map((v) => v.crops);
  const samplerTargets: { caseId: string; targets: NonNullable<ReturnType<typeof sampler.sample>['targets']> }[] = [];
  plans.forEach((p, b) => {
    const patch = patches[b]!;
    const source: SourceSample = {
      image: patch.data,
      shape: [patch.channels, ...patchSize],
      masks: { anon: { data: Int32Array.from(patch.anon), channels: 1 }, anat: { data: Int32Array.from(patch.anat), channels: 1 }, ...patch.labels },
      caseId: p.c.id,
      targets: Object.fromEntries(Object.entries(p.c.targets ?? {}).map(([k, t]) => [k, sampleTargetOf(t)])),
    };
    const out = sampler.sample(source, p.augRng.fork());
    const got = Object.keys(out.views ?? {});
    if (got.length !== declared.length || !declared.every((n) => got.includes(n))) {
      throw new OpenMindError(`loader: view sampler "${sampler.name}" must return the views [${declared.join(', ')}], but returned [${got.join(', ')}] for case "${p.c.id}".`);
    }
    views.forEach((v, vi) => {
      const list = out.views[v.name]!;
      if (!Array.isArray(list) || list.length === 0 || (counts[vi] !== undefined && list.length !== counts[vi])) {
        const want = counts[vi] !== undefined ? `${counts[vi]} crop(s)` : 'at least one crop';
        throw new OpenMindError(`loader: view sampler "${sampler.name}" must return ${want} for view "${v.name}", but returned ${Array.isArray(list) ? list.length : 'no list'} for case "${p.c.id}".`);
      }
      counts[vi] = list.length;
      for (const crop of list) {
        // Fork even without an augmentation, so adding one to a view leaves the other views unchanged.
        const r = p.augRng.fork();
        crops[vi]!.push(v.augmentation ? v.augmentation.apply(crop, r) : crop);
      }
    });
    samplerTargets.push({ caseId: p.c.id, targets: out.targets ?? {} });
  });
  const stacked: Record<string, BatchView> = {};
  views.forEach((v, vi) => (stacked[v.name] = stackView(v.name, crops[vi]!, counts[vi]!, plans)));
  const targets: Record<string, HostTarget> = stackTargets(samplerTargets, `view sampler "${sampler.name}"`);
  return { views: stacked, targets, first: firstViewFields(stacked[declared[0]!]!) };
}

/** Stacks the crops of one view; all must have one shape and the same masks. */
function stackView(name: string, crops: readonly Sample[], k: number, plans: readonly SamplePlan[]): BatchView {
  const s0 = crops[0]!.shape;
  const vox = s0[1] * s0[2] * s0[3];
  const caseOf = (i: number) => plans[Math.floor(i / k)]!.c.id;
  const maskNames = Object.keys(crops[0]!.masks ?? {}).sort();
  const data = new Float32Array(crops.length * s0[0] * vox);
  const masks: BatchView['masks'] = {};
  for (const m of maskNames) {
    const ch = crops[0]!.masks![m]!.channels;
    masks[m] = { data: new Int32Array(crops.length * ch * vox), shape: [crops.length, ch, s0[1], s0[2], s0[3]] };
  }
  crops.forEach((c, i) => {
    const where = `crop ${i % k} of view "${name}" for case "${caseOf(i)}"`;
    if (c.shape.length !== 4 || c.shape.some((d, a) => d !== s0[a])) {
      throw new OpenMindError(`loader: ${where} must have shape [${s0.join(', ')}] like the view's first crop, but has [${c.shape.join(', ')}].`);
    }
    if (c.image.length !== s0[0] * vox) throw new OpenMindError(`loader: ${where} must hold ${s0[0] * vox} image values for shape [${s0.join(', ')}], but has ${c.image.length}.`);
    data.set(c.image, i * s0[0] * vox);
    const names = Object.keys(c.masks ?? {}).sort();
    if (names.join('\0') !== maskNames.join('\0')) throw new OpenMindError(`loader: ${where} must have the masks [${maskNames.join(', ')}] like the view's first crop, but has [${names.join(', ')}].`);
    for (const m of maskNames) {
      const src = c.masks![m]!;
      const dst = masks[m]!;
      const ch = dst.shape[1]!;
      if (src.channels !== ch || src.data.length !== ch * vox) throw new OpenMindError(`loader: mask "${m}" of ${where} must hold ${ch}·${vox} values, but has ${src.channels} channel(s) and ${src.data.length} values.`);
      dst.data.set(src.data, i * ch * vox);
    }
  });
  return { data, shape: [crops.length, s0[0], s0[1], s0[2], s0[3]], crops: k, masks };
}

/** The first view in the batch's single-view fields, so code that reads only `data` still sees a valid batch. */
function firstViewFields(v: BatchView): Pick<PatchBatch, 'data' | 'shape' | 'anon' | 'anat' | 'maskShape'> {
  const [n, , x, y, z] = v.shape;
  const mask = (m: string) => (v.masks[m] ? Int8Array.from(v.masks[m].data.subarray(0, n * x * y * z)) : new Int8Array(n * x * y * z));
  return { data: v.data, shape: v.shape, anon: mask('anon'), anat: mask('anat'), maskShape: [n, 1, x, y, z] };
}
