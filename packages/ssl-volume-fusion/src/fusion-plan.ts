import { OpenMindError, type Rng } from '@openmind-ssl/core';

/** One fused box: its class, start and size per spatial axis. */
export interface FusionBox {
  classIndex: number;
  start: [number, number, number];
  size: [number, number, number];
}

/** How boxes are drawn (nnssl VolumeFusionTrainer: 5 classes, 10…39 boxes, 8…int(0.625·dim) voxels per axis). */
export interface FusionSettings {
  /** Number of classes; the mixing coefficients are linspace(0, 1, classes). */
  classes: number;
  /** Box count drawn from [min, max) (nnssl `np.random.randint(10, 40)`). */
  boxCount: readonly [number, number];
  /** Smallest box side (nnssl 8). */
  boxSizeMin: number;
  /** Largest box side as a fraction of the patch side (nnssl int(0.625·160) = 100). */
  boxSizeFraction: number;
}

export const NNSSL_FUSION: FusionSettings = { classes: 5, boxCount: [10, 40], boxSizeMin: 8, boxSizeFraction: 0.625 };

/** linspace(0, 1, classes): the background share of class 0 is 1 (α 0), of the last class 0 (α 1). */
export function mixingCoefficients(classes: number): number[] {
  return Array.from({ length: classes }, (_, i) => (classes === 1 ? 0 : i / (classes - 1)));
}

/** Inclusive side range of the boxes on a patch side `dim`: 8…int(0.625·dim), clamped to the patch. */
export function boxSizeRange(dim: number, s: FusionSettings): [number, number] {
  const hi = Math.min(dim, Math.floor(s.boxSizeFraction * dim));
  const lo = Math.min(s.boxSizeMin, hi);
  if (hi < 1) throw new OpenMindError(`VolumeFusion: a patch side of ${dim} voxels leaves no box size (boxSizeFraction ${s.boxSizeFraction})`);
  return [lo, hi];
}

/**
 * The boxes of one pair, in painting order (later boxes overwrite earlier ones), as nnssl's `mix_batch`
 * draws them: the count, then per box its class, its side per axis and its start in [0, dim − side].
 */
export function drawFusionPlan(shape: readonly [number, number, number], s: FusionSettings, rng: Rng): FusionBox[] {
  const count = rng.int(s.boxCount[0], s.boxCount[1]);
  const ranges = shape.map((d) => boxSizeRange(d, s));
  const boxes: FusionBox[] = [];
  for (let i = 0; i < count; i++) {
    const classIndex = rng.int(0, s.classes);
    const size = ranges.map(([lo, hi]) => rng.int(lo, hi + 1)) as [number, number, number];
    const start = size.map((z, a) => rng.int(0, shape[a]! - z + 1)) as [number, number, number];
    boxes.push({ classIndex, start, size });
  }
  return boxes;
}
