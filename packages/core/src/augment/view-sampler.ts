import type { Rng } from '../random/rng.js';
import type { Sample } from './augmentation.js';

/** Element types a target may have. */
export type TargetDType = 'float32' | 'int32' | 'uint8';

/**
 * A value of one sample that is not a volume of the image's grid: a class label, the boxes of the crops,
 * overlap ratios. `shape` is the sample's own (the batch adds a leading axis); `data` is row-major.
 */
export interface SampleTarget {
  data: Float32Array | Int32Array | Uint8Array;
  shape: readonly number[];
}

/**
 * What a view sampler receives in a data worker: the crop read from the store, with its masks (`anon`,
 * `anat`, and the case's label volumes, e.g. a segmentation map, as Int32 [Cm, X, Y, Z]), and what the
 * dataset records about the case.
 */
export interface SourceSample extends Sample {
  /** Case id in the store. */
  caseId: string;
  /** Per-case targets from the dataset (e.g. `{ class: { data: Int32Array [1], shape: [1] } }`); may be empty. */
  targets: Readonly<Record<string, SampleTarget>>;
}

/** What a view sampler returns for one sample: named views (one or more crops each) and named targets. */
export interface SampledViews {
  /** Crops per view; every crop is augmented on its own with the view's augmentation. */
  views: Record<string, Sample[]>;
  /** Targets of this sample (boxes, overlaps, labels); the batch stacks them along a new first axis. */
  targets?: Record<string, SampleTarget>;
}

/**
 * Cuts the views a method trains on from one loaded crop (SimCLR: two overlapping 64³ crops; VoCo: a grid
 * of base crops and random target crops). Runs in the data workers, built from a module spec. All
 * randomness must come from `rng`, so a batch stays a function of (seed, batch index) alone.
 */
export interface ViewSampler {
  readonly name: string;
  sample(source: SourceSample, rng: Rng): SampledViews;
}
