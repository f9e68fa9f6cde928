import type { Rng } from '@openmind-ssl/core';

/** How often each Models Genesis transform fires (nnssl ModelGenesisTransform, the original MG config). */
export interface GenesisRates {
  /** Each further flip happens with this probability, at most 3 flips (0.4). */
  flip: number;
  /** Local pixel shuffling (0.5). */
  localShuffle: number;
  /** Bézier non-linear intensity mapping (0.9); inverted in half of the cases. */
  nonlinear: number;
  /** Painting (0.9). */
  paint: number;
  /** Share of paintings that are in-painting (0.2); the rest are out-painting. */
  inpaint: number;
}

export const NNSSL_GENESIS_RATES: GenesisRates = { flip: 0.4, localShuffle: 0.5, nonlinear: 0.9, paint: 0.9, inpaint: 0.2 };

/** A box of voxels: start and size per spatial axis [X, Y, Z]. */
export interface Box {
  start: [number, number, number];
  size: [number, number, number];
}

/** Every random choice of one sample's corruption except the bulk draws (shuffle windows, noise). */
export interface GenesisPlan {
  /** Flip axes in order, as axes of the (C, X, Y, Z) array (0 = channel, a no-op kept for nnssl's quirk). */
  flips: number[];
  localShuffle: boolean;
  /** Bézier control points [x1, y1, x2, y2] and whether the mapping is inverted; null = not applied. */
  nonlinear: { points: [number, number, number, number]; inverted: boolean } | null;
  /** In-painting boxes (filled with noise) or out-painting boxes (kept from the image); null = none. */
  painting: { kind: 'in' | 'out'; boxes: Box[] } | null;
  /** Generator of the bulk draws (shuffle windows, their permutations, painting noise). */
  bulk: Rng;
}

/** Python's random.randint(a, b): inclusive of both ends. */
export const randint = (rng: Rng, a: number, b: number): number => rng.int(a, b + 1);

function paintBoxes(kind: 'in' | 'out', dims: readonly number[], rng: Rng): Box[] {
  const one = (): Box => {
    const size = dims.map((d) => (kind === 'in' ? randint(rng, Math.floor(d / 6), Math.floor(d / 3)) : d - randint(rng, Math.floor((3 * d) / 7), Math.floor((4 * d) / 7))));
    const start = dims.map((d, a) => randint(rng, 3, d - size[a]! - 3));
    return { start: start as Box['start'], size: size as Box['size'] };
  };
  const boxes: Box[] = kind === 'out' ? [one()] : [];
  // In-painting: up to 5 boxes, each while random() < 0.95; out-painting: 1 box and up to 4 more.
  for (let cnt = kind === 'in' ? 5 : 4; cnt > 0 && rng.uniform() < 0.95; cnt--) boxes.push(one());
  return boxes;
}

/**
 * Draws one sample's Models Genesis corruption in nnssl's order: flips (while random() < flip, at most 3),
 * local shuffling, the Bézier mapping (4 control coordinates, then inversion with p ½), painting (in- or
 * out-painting and its boxes). Box sizes follow nnssl-spec §3.8 (in: dim//6…dim//3, out: dim − (3·dim//7…
 * 4·dim//7), starts 3…dim − size − 3).
 * @param dims spatial size [X, Y, Z] of the sample
 * @param flipAxes the axes a flip picks from: [1, 2, 3] (X, Y, Z) here, [0, 1, 2] in nnssl (channel, X, Y)
 */
export function drawGenesisPlan(dims: readonly [number, number, number], rates: GenesisRates, flipAxes: readonly number[], rng: Rng): GenesisPlan {
  const bulk = rng.fork();
  const flips: number[] = [];
  while (rng.uniform() < rates.flip && flips.length < 3) flips.push(flipAxes[rng.int(0, flipAxes.length)]!);
  const localShuffle = rng.uniform() < rates.localShuffle;
  let nonlinear: GenesisPlan['nonlinear'] = null;
  if (rng.uniform() < rates.nonlinear) {
    const points: [number, number, number, number] = [rng.uniform(), rng.uniform(), rng.uniform(), rng.uniform()];
    nonlinear = { points, inverted: rng.uniform() < 0.5 };
  }
  let painting: GenesisPlan['painting'] = null;
  if (rng.uniform() < rates.paint) {
    const kind = rng.uniform() < rates.inpaint ? 'in' : 'out';
    painting = { kind, boxes: paintBoxes(kind, dims, rng) };
  }
  return { flips, localShuffle, nonlinear, painting, bulk };
}
