import { OpenMindError, type Augmentation, type Sample } from '@openmind/core';
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

/**
 * Builds batch `iteration`: `batchSize` cases drawn uniformly with replacement, each cropped at a random
 * position (or centred on a sampled anatomy voxel with probability `anatomyOversampling`), padded where
 * the crop leaves the volume, and passed through `augmentation` if given. All randomness comes from
 * `batchRng(seed, iteration)`, so the result depends on nothing else.
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
  const keys: string[] = [];
  const hasAnon: boolean[] = [];
  const hasAnat: boolean[] = [];
  const anatomyCentred: boolean[] = [];
  let data: Float32Array | undefined;
  let anon: Int8Array | undefined;
  let anat: Int8Array | undefined;
  let sampleShape: number[] | undefined;
  for (let b = 0; b < B; b++) {
    const s = rng.fork();
    const c = cases[s.int(0, cases.length)]!;
    const reader = open(c.dir);
    const shape = reader.spatialShape;
    const centre = settings.anatomyOversampling > 0 && s.bernoulli(settings.anatomyOversampling);
    const locations = centre ? reader.anatomyLocations() : null;
    let start: Shape3;
    if (locations && locations.length > 0) {
      const v = s.int(0, locations.length / 3);
      start = centredCropStart(shape, settings.patchSize, settings.finalPatchSize, [locations[3 * v]!, locations[3 * v + 1]!, locations[3 * v + 2]!]);
    } else {
      start = randomCropStart(shape, settings.patchSize, settings.finalPatchSize, s);
    }
    const patch = await readPatch(reader, start, settings.patchSize);
    let image = patch.data;
    let dims: number[] = [patch.channels, ...settings.patchSize];
    let a: Int8Array = patch.anon;
    let n: Int8Array = patch.anat;
    if (augmentation) {
      const sample: Sample = {
        image,
        shape: [patch.channels, ...settings.patchSize],
        masks: { anon: { data: Int32Array.from(a), channels: 1 }, anat: { data: Int32Array.from(n), channels: 1 } },
      };
      const out = augmentation.apply(sample, s.fork());
      image = out.image;
      dims = [...out.shape];
      a = Int8Array.from(out.masks?.['anon']?.data ?? new Int32Array(image.length / dims[0]!));
      n = Int8Array.from(out.masks?.['anat']?.data ?? new Int32Array(image.length / dims[0]!));
    }
    if (!sampleShape) {
      sampleShape = dims;
      const vox = dims[1]! * dims[2]! * dims[3]!;
      data = new Float32Array(B * dims[0]! * vox);
      anon = new Int8Array(B * vox);
      anat = new Int8Array(B * vox);
    } else if (dims.some((d, i) => d !== sampleShape![i])) {
      throw new OpenMindError(`loader: every sample of a batch must have shape [${sampleShape.join(', ')}], but case "${c.id}" gave [${dims.join(', ')}] (channel counts or augmentation output differ).`);
    }
    data!.set(image, b * image.length);
    anon!.set(a, b * a.length);
    anat!.set(n, b * n.length);
    keys.push(c.id);
    hasAnon.push(patch.hasAnon);
    hasAnat.push(patch.hasAnat);
    anatomyCentred.push(locations !== null && locations.length > 0);
  }
  const [C, d0, d1, d2] = sampleShape as [number, number, number, number];
  return {
    iteration, epoch: 0, step: 0, keys,
    data: data!, shape: [B, C, d0, d1, d2],
    anon: anon!, anat: anat!, maskShape: [B, 1, d0, d1, d2],
    hasAnon, hasAnat, anatomyCentred,
  };
}
