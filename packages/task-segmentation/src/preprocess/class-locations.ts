import { NumpyRandomState } from '../random/numpy-random-state.js';

/** nnU-Net's `_sample_foreground_locations` constants. */
export const CLASS_LOCATION_SAMPLES = 10_000;
export const CLASS_LOCATION_MIN_COVERAGE = 0.01;
export const CLASS_LOCATION_SEED = 1234;
/** More foreground voxels than this are thinned to every k-th before sampling. */
export const MAX_FOREGROUND_COORDS = 1e7;

/** What {@link sampleClassLocations} returns: flat voxel indices per class, and per 'annotated' region. */
export interface ClassLocations {
  classLocations: Map<number, Uint32Array>;
  /** With an ignore label: voxels that are labelled (≥ 0 and not the ignore label), else null. */
  annotatedLocations: Uint32Array | null;
}

/**
 * Samples voxel locations per foreground class as nnU-Net's preprocessor: the non-zero voxels in flat
 * (C) order, thinned to every k-th beyond 1e7; per class in ascending order, min(10 000, n) of its n voxels
 * but at least ceil(1 % · n), drawn with `RandomState(1234).choice(n, k, replace=False)` (one generator for
 * all classes of a case, so the picks equal nnU-Net's). A class absent from the case gets an empty list.
 *
 * With an ignore label, a last set of "annotated" voxels is drawn the same way for sampling random patches
 * that are not fully ignored. nnU-Net collects it over `seg != 0` with the values [-1, *labels], which leaves
 * out background and takes in the outside-of-body −1; here it is what the code comment says it means: every
 * labelled voxel (label ≥ 0 and not the ignore label).
 * @param label flat label map (−1 outside the non-zero region).
 * @param classes foreground labels (no background, no ignore label).
 */
export function sampleClassLocations(label: ArrayLike<number>, classes: readonly number[], ignoreLabel: number | null, seed = CLASS_LOCATION_SEED): ClassLocations {
  const rs = new NumpyRandomState(seed);
  let fg: number[] = [];
  for (let i = 0; i < label.length; i++) if (label[i] !== 0) fg.push(i);
  if (fg.length > MAX_FOREGROUND_COORDS) {
    const every = Math.floor(fg.length / MAX_FOREGROUND_COORDS);
    fg = fg.filter((_, i) => i % every === 0);
  }
  const draw = (all: number[]): Uint32Array => {
    if (all.length === 0) return new Uint32Array(0);
    const k = Math.max(Math.min(CLASS_LOCATION_SAMPLES, all.length), Math.ceil(all.length * CLASS_LOCATION_MIN_COVERAGE));
    const pick = rs.choiceWithoutReplacement(all.length, k);
    return Uint32Array.from(pick, (p) => all[p]!);
  };
  const classLocations = new Map<number, Uint32Array>();
  for (const c of [...classes].sort((a, b) => a - b)) classLocations.set(c, draw(fg.filter((i) => label[i] === c)));
  let annotatedLocations: Uint32Array | null = null;
  if (ignoreLabel !== null) {
    const annotated: number[] = [];
    for (let i = 0; i < label.length; i++) if (label[i]! >= 0 && label[i] !== ignoreLabel) annotated.push(i);
    annotatedLocations = draw(annotated);
  }
  return { classLocations, annotatedLocations };
}
