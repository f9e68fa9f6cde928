import type { TargetDType } from '../augment/view-sampler.js';
import type { WorkerModuleSpec } from './worker-module-spec.js';

/** One named view of a host batch: every sample's crops of that view, stacked. */
export interface HostView {
  /** [N·k, C, D, H, W] float32; crop j of sample i sits at index i·k + j. */
  image: Float32Array;
  shape: readonly [number, number, number, number, number];
  /** Crops per sample (k). */
  crops: number;
  /** [N·k, 1, D, H, W] 0/1 masks cut and augmented with the crops: 'anatomy', 'anonymization'. */
  masks?: Partial<Record<'anatomy' | 'anonymization', Uint8Array>>;
  /** Label volumes of the case cut and augmented with the crops (e.g. a segmentation map), [N·k, Cl, D, H, W]. */
  labels?: Record<string, { data: Int32Array; shape: readonly number[] }>;
}

/** A named target of a host batch: one row per sample, stacked along the first axis. */
export interface HostTarget {
  data: Float32Array | Int32Array | Uint8Array;
  /** [N, ...the sample's target shape]. */
  shape: readonly number[];
  dtype: TargetDType;
}

/** One view a method asks for, and how each of its crops is augmented. */
export interface ViewSpec {
  name: string;
  /** Augmentation of each crop of this view (built in the workers); none = the crop as cut. */
  augmentation?: WorkerModuleSpec;
  /** Crops per sample the sampler must return for this view; checked when given. */
  crops?: number;
}

/**
 * Several views per loaded crop: `sampler` names a module whose export is (or builds) a `ViewSampler`,
 * which cuts the views and targets; `views` lists them in batch order with their augmentations.
 */
export interface ViewPipeline {
  sampler: WorkerModuleSpec;
  views: readonly ViewSpec[];
}
