import { OpenMindError, type Augmentation, type Rng, type Sample } from '@openmind-ssl/core';
import type { Shape3 } from '../preprocess/volume.js';
import type { CaseReader } from '../store/case-reader.js';
import { batchRng } from './batch-rng.js';
import { centredCropStart, randomCropStart } from './crop-box.js';
import { readPatch } from './read-patch.js';

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

/** A case of the store: unique id and absolute group folder. */
export interface StoreCase {
  id: string;
  dir: string;
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
  /** `[B, C, d0, d1, d2]` float32. */
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
}

/** The random choices for one sample, drawn before any data is read. */
interface SamplePlan {
  c: StoreCase;
  reader: CaseReader;
  start: Shape3;
  centred: boolean;
  /** Generator handed to the augmentation. */
  augRng: Rng;
}

/**
 * Builds batch `iteration`: `batchSize` cases drawn uniformly with replacement, each cropped at a random
 * position (or centred on a sampled anatomy voxel with probability `anatomyOversampling`), padded where
 * the crop leaves the volume, and passed through `augmentation` if given. All randomness comes from
 * `batchRng(seed, iteration)`, so the result depends on nothing else. Without augmentation the crops are
 * read concurrently straight into the batch arrays.
 */
export async function buildBatch(
  iteration: number,
  cases: readonly StoreCase[],
  settings: BatchSettings,
  open: (dir: string) => CaseReader,
  augmentation?: Augmentation,
): Promise<PatchBatch> {
  const rng = batchRng(settings.seed, iteration);
  const B = settings.batchSize;
  const plans: SamplePlan[] = [];
  for (let b = 0; b < B; b++) {
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
  const C = plans[0]!.reader.channels;
  const other = plans.find((p) => p.reader.channels !== C);
  if (other) throw new OpenMindError(`loader: every sample of a batch must have ${C} channel(s), but case "${other.c.id}" has ${other.reader.channels}.`);

  const [p0, p1, p2] = settings.patchSize;
  let dims: [number, number, number, number] = [C, p0, p1, p2];
  let data: Float32Array;
  let anon: Int8Array;
  let anat: Int8Array;
  const hasAnon = plans.map((p) => p.reader.anon !== null);
  const hasAnat = plans.map((p) => p.reader.anat !== null);
  if (!augmentation) {
    const vox = p0 * p1 * p2;
    data = new Float32Array(B * C * vox);
    anon = new Int8Array(B * vox);
    anat = new Int8Array(B * vox);
    await Promise.all(
      plans.map((p, b) =>
        readPatch(p.reader, p.start, settings.patchSize, {
          data: data.subarray(b * C * vox, (b + 1) * C * vox),
          anon: anon.subarray(b * vox, (b + 1) * vox),
          anat: anat.subarray(b * vox, (b + 1) * vox),
        }),
      ),
    );
  } else {
    const outs: Sample[] = [];
    for (const p of plans) {
      const patch = await readPatch(p.reader, p.start, settings.patchSize);
      const sample: Sample = {
        image: patch.data,
        shape: dims,
        masks: { anon: { data: Int32Array.from(patch.anon), channels: 1 }, anat: { data: Int32Array.from(patch.anat), channels: 1 } },
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
  }
  const [Co, d0, d1, d2] = dims;
  return {
    iteration, epoch: 0, step: 0,
    keys: plans.map((p) => p.c.id),
    data, shape: [B, Co, d0, d1, d2],
    anon, anat, maskShape: [B, 1, d0, d1, d2],
    hasAnon, hasAnat,
    anatomyCentred: plans.map((p) => p.centred),
  };
}
