import { OpenMindError, type Augmentation, type HostTarget, type Rng, type Sample, type ViewSampler } from '@openmind-ssl/core';
import type { Shape3 } from '../preprocess/volume.js';
import type { CaseReader } from '../store/case-reader.js';
import { batchRng } from './batch-rng.js';
import { sampleTargetOf, type CaseTarget } from './case-targets.js';
import { centredCropStart, randomCropStart } from './crop-box.js';
import { readPatch } from './read-patch.js';
import { stackTargets } from './stack-targets.js';
import { buildViews, type BatchView } from './view-batch.js';

/** What determines a batch besides its iteration number. */
export interface BatchSettings {
  batchSize: number;
  /** Crop read from the store, `[d0, d1, d2]`. */
  patchSize: Shape3;
  /** Network patch size; `patchSize − finalPatchSize` is the extra padding allowed when placing crops. */
  finalPatchSize: Shape3;
  /** Probability that a crop is centred on an anatomy voxel (cases with an anatomy mask). */
  anatomyOversampling: number;
  seed: number;
}

/** A case of the store: unique id, absolute group folder, and the targets the dataset records for it. */
export interface StoreCase {
  id: string;
  dir: string;
  /** Per-case targets (a class label, …), normalised; they travel with every sample of the case. */
  targets?: Record<string, CaseTarget>;
}

/** One batch, channel-first, row-major. */
export interface PatchBatch {
  /** Global batch index: the stream position this batch was built for. */
  iteration: number;
  /** Epoch (`iteration ÷ iterationsPerEpoch`) and step within it; set by the loader. */
  epoch: number;
  step: number;
  /** Case id of each sample. */
  keys: string[];
  /** `[B, C, d0, d1, d2]` float32 (with views: the first view, `[B·k, C, …]`). */
  data: Float32Array;
  shape: [number, number, number, number, number];
  /** `[B, 1, d0, d1, d2]` anonymization masks: > 0 defaced, −1 outside the image, 0 otherwise. */
  anon: Int8Array;
  /** `[B, 1, d0, d1, d2]` anatomy masks: > 0 anatomy, −1 outside the image, 0 otherwise. */
  anat: Int8Array;
  maskShape: [number, number, number, number, number];
  /** Whether each sample's case has the mask (without it the mask is 0 inside the image). */
  hasAnon: boolean[];
  hasAnat: boolean[];
  /** Whether each crop was centred on an anatomy voxel. */
  anatomyCentred: boolean[];
  /** The cases' label volumes cut (and augmented) with `data`, `[B, Cl, d0, d1, d2]`; −1 outside the volume. */
  labels?: Record<string, { data: Int32Array; shape: number[] }>;
  /** Named views of a multi-view pipeline, in declared order. */
  views?: Record<string, BatchView>;
  /** Named targets: the cases' own, then the view sampler's, stacked along a new first axis. */
  targets?: Record<string, HostTarget>;
}

/** A view sampler and the views it cuts, built in the worker. */
export interface LoadedViews {
  sampler: ViewSampler;
  views: { name: string; augmentation?: Augmentation; crops?: number }[];
}

/** What a batch is transformed with: one augmentation of the crop (single view), or views. */
export interface BatchTransforms {
  augmentation?: Augmentation;
  views?: LoadedViews;
}

/** The random choices for one sample, drawn before any data is read. */
export interface SamplePlan {
  c: StoreCase;
  reader: CaseReader;
  start: Shape3;
  centred: boolean;
  /** Generator handed to the augmentation (or, with views, forked for the sampler and every crop). */
  augRng: Rng;
}

/**
 * Builds batch `iteration`: `batchSize` cases drawn uniformly with replacement, each cropped at a random
 * position (or centred on a sampled anatomy voxel with probability `anatomyOversampling`), padded where
 * the crop leaves the volume, then either passed through one augmentation or cut into views by a view
 * sampler (each crop augmented by its view's augmentation). All randomness comes from
 * `batchRng(seed, iteration)`, so the result depends on nothing else. Without any transform the crops
 * are read concurrently straight into the batch arrays.
 */
export async function buildBatch(
  iteration: number,
  cases: readonly StoreCase[],
  settings: BatchSettings,
  open: (dir: string) => CaseReader,
  transforms?: Augmentation | BatchTransforms,
): Promise<PatchBatch> {
  const { augmentation, views } = transforms === undefined ? {} : 'apply' in transforms ? { augmentation: transforms as Augmentation } : transforms;
  if (augmentation && views) throw new OpenMindError('loader: a batch is built with an augmentation or with views, not both; give each view its own augmentation.');
  const plans = planSamples(iteration, cases, settings, open);
  const C = plans[0]!.reader.channels;
  const other = plans.find((p) => p.reader.channels !== C);
  if (other) throw new OpenMindError(`loader: every sample of a batch must have ${C} channel(s), but case "${other.c.id}" has ${other.reader.channels}.`);
  const caseTargets = stackTargets(plans.map((p) => ({ caseId: p.c.id, targets: caseTargetsOf(p.c) })), 'the dataset');
  const base = {
    iteration, epoch: 0, step: 0,
    keys: plans.map((p) => p.c.id),
    hasAnon: plans.map((p) => p.reader.anon !== null),
    hasAnat: plans.map((p) => p.reader.anat !== null),
    anatomyCentred: plans.map((p) => p.centred),
  };
  if (views) {
    const built = await buildViews(plans, settings.patchSize, views);
    for (const name of Object.keys(built.targets)) {
      if (name in caseTargets) throw new OpenMindError(`loader: view sampler "${views.sampler.name}" must not return target "${name}": the dataset already gives the cases a target of that name.`);
    }
    return { ...base, ...built.first, views: built.views, targets: { ...caseTargets, ...built.targets } };
  }
  const single = await buildSingleView(plans, settings.patchSize, C, augmentation);
  return { ...base, ...single, ...(Object.keys(caseTargets).length ? { targets: caseTargets } : {}) };
}

/** Draws every sample's case and crop position from the batch generator. */
function planSamples(iteration: number, cases: readonly StoreCase[], settings: BatchSettings, open: (dir: string) => CaseReader): SamplePlan[] {
  const rng = batchRng(settings.seed, iteration);
  const plans: SamplePlan[] = [];
  for (let b = 0; b < settings.batchSize; b++) {
    const s = rng.fork();
    const c = cases[s.int(0, cases.length)]!;
    const reader = open(c.dir);
    const shape = reader.spatialShape;
    const centre = settings.anatomyOversampling > 0 && s.bernoulli(settings.anatomyOversampling);
    const locations = centre ? reader.anatomyLocations() : null;
    let start: Shape3;
    const centred = locations !== null && locations.length > 0;
    if (centred) {
      const v = s.int(0, locations.length / 3);
      start = centredCropStart(shape, settings.patchSize, settings.finalPatchSize, [locations[3 * v]!, locations[3 * v + 1]!, locations[3 * v + 2]!]);
    } else {
      start = randomCropStart(shape, settings.patchSize, settings.finalPatchSize, s);
    }
    plans.push({ c, reader, start, centred, augRng: s.fork() });
  }
  return plans;
}

function caseTargetsOf(c: StoreCase) {
  return Object.fromEntries(Object.entries(c.targets ?? {}).map(([k, t]) => [k, sampleTargetOf(t)]));
}

/** The crop of every sample, optionally augmented, stacked into the batch arrays. */
async function buildSingleView(plans: SamplePlan[], patchSize: Shape3, C: number, augmentation: Augmentation | undefined) {
  const B = plans.length;
  const [p0, p1, p2] = patchSize;
  let dims: [number, number, number, number] = [C, p0, p1, p2];
  let data: Float32Array;
  let anon: Int8Array;
  let anat: Int8Array;
  let labelSets: Record<string, { data: Int32Array; channels: number }>[];
  if (!augmentation) {
    const vox = p0 * p1 * p2;
    data = new Float32Array(B * C * vox);
    anon = new Int8Array(B * vox);
    anat = new Int8Array(B * vox);
    const patches = await Promise.all(
      plans.map((p, b) =>
        readPatch(p.reader, p.start, patchSize, {
          data: data.subarray(b * C * vox, (b + 1) * C * vox),
          anon: anon.subarray(b * vox, (b + 1) * vox),
          anat: anat.subarray(b * vox, (b + 1) * vox),
        }),
      ),
    );
    labelSets = patches.map((p) => p.labels);
  } else {
    const outs: Sample[] = [];
    for (const p of plans) {
      const patch = await readPatch(p.reader, p.start, patchSize);
      const sample: Sample = {
        image: patch.data,
        shape: dims,
        masks: { anon: { data: Int32Array.from(patch.anon), channels: 1 }, anat: { data: Int32Array.from(patch.anat), channels: 1 }, ...patch.labels },
      };
      const out = augmentation.apply(sample, p.augRng);
      if (outs.length && out.shape.some((d, i) => d !== outs[0]!.shape[i])) {
        throw new OpenMindError(`loader: every sample of a batch must have shape [${outs[0]!.shape.join(', ')}], but the augmentation gave [${out.shape.join(', ')}] for case "${p.c.id}".`);
      }
      outs.push(out);
    }
    dims = [...outs[0]!.shape];
    const vox = dims[1] * dims[2] * dims[3];
    data = new Float32Array(B * dims[0] * vox);
    anon = new Int8Array(B * vox);
    anat = new Int8Array(B * vox);
    outs.forEach((o, b) => {
      data.set(o.image, b * dims[0] * vox);
      const a = o.masks?.['anon']?.data;
      const n = o.masks?.['anat']?.data;
      if (a) anon.set(a, b * vox);
      if (n) anat.set(n, b * vox);
    });
    const names = Object.keys(plans[0]!.reader.labels);
    labelSets = outs.map((o, b) =>
      Object.fromEntries(
        names.map((k) => {
          const m = o.masks?.[k];
          if (!m) throw new OpenMindError(`loader: augmentation "${augmentation.name}" must keep the label volume "${k}" of case "${plans[b]!.c.id}" among the sample's masks, but dropped it.`);
          return [k, { data: Int32Array.from(m.data), channels: m.channels }];
        }),
      ),
    );
  }
  const [Co, d0, d1, d2] = dims;
  const labels = stackLabels(plans, labelSets, [d0, d1, d2]);
  return {
    data, shape: [B, Co, d0, d1, d2] as PatchBatch['shape'],
    anon, anat, maskShape: [B, 1, d0, d1, d2] as PatchBatch['maskShape'],
    ...(Object.keys(labels).length ? { labels } : {}),
  };
}

/** Stacks the label volumes of every sample; all cases of a batch must have the same ones. */
function stackLabels(plans: SamplePlan[], sets: Record<string, { data: Int32Array; channels: number }>[], spatial: Shape3) {
  const names = Object.keys(sets[0] ?? {}).sort();
  const vox = spatial[0] * spatial[1] * spatial[2];
  const out: Record<string, { data: Int32Array; shape: number[] }> = {};
  sets.forEach((s, b) => {
    const have = Object.keys(s).sort();
    if (have.join('\0') !== names.join('\0')) {
      throw new OpenMindError(`loader: every sample of a batch must have the same label volumes, but case "${plans[0]!.c.id}" has [${names.join(', ')}] and case "${plans[b]!.c.id}" has [${have.join(', ')}].`);
    }
  });
  for (const name of names) {
    const ch = sets[0]![name]!.channels;
    const data = new Int32Array(sets.length * ch * vox);
    sets.forEach((s, b) => {
      const l = s[name]!;
      if (l.channels !== ch || l.data.length !== ch * vox) {
        throw new OpenMindError(`loader: label volume "${name}" of case "${plans[b]!.c.id}" must have ${ch} channel(s) of ${vox} voxels like the batch's first sample, but has ${l.channels} channel(s) and ${l.data.length} values.`);
      }
      data.set(l.data, b * ch * vox);
    });
    out[name] = { data, shape: [sets.length, ch, ...spatial] };
  }
  return out;
}
