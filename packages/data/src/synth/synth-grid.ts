import type { Rng } from '@openmind-ssl/core';
import type { Affine } from '../nifti/affine.js';

/** A voxel grid: shape and voxel-to-world affine. */
export interface SynthGrid {
  shape: [number, number, number];
  spacing: [number, number, number];
  affine: Affine;
  /** Orientation code the grid was built for (the nearest axes for an oblique grid). */
  orientation: string;
}

const AXIS: Record<string, [number, number]> = { R: [0, 1], L: [0, -1], A: [1, 1], P: [1, -1], S: [2, 1], I: [2, -1] };

/** Orientations the generator picks from: the canonical one, the DICOM/ITK one, sagittal and coronal acquisitions. */
export const SYNTH_ORIENTATIONS: readonly string[] = ['RAS', 'LPS', 'LAS', 'PIR', 'LIP', 'RSA'];
/** Voxel spacings the generator picks from (mm), including anisotropic ones. */
export const SYNTH_SPACINGS: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [1.2, 1.2, 1.2],
  [0.9, 0.9, 1.8],
  [1, 1, 2.5],
  [1.5, 1, 1],
];

/**
 * A grid covering a cube of `fovMm` centred on the world origin, with array axes along `orientation`
 * (e.g. 'PIR': i runs posterior, j inferior, k right), optionally tilted by `obliqueRad` about the first
 * world axis, so the affine is not a signed permutation.
 * @throws RangeError for an orientation code that does not name three different axes
 */
export function makeGrid(fovMm: number, spacing: readonly [number, number, number], orientation: string, obliqueRad = 0): SynthGrid {
  const axes = [...orientation].map((ch) => AXIS[ch]);
  if (axes.length !== 3 || axes.some((a) => !a) || new Set(axes.map((a) => a![0])).size !== 3) {
    throw new RangeError(`makeGrid: orientation must be three letters naming R/L, A/P and S/I, but got "${orientation}".`);
  }
  const shape = spacing.map((s) => Math.max(2, Math.round(fovMm / s))) as [number, number, number];
  const m = [0, 1, 2].map(() => [0, 0, 0]);
  axes.forEach((a, col) => (m[a![0]]![col] = a![1] * spacing[col]!));
  if (obliqueRad !== 0) {
    const [cs, sn] = [Math.cos(obliqueRad), Math.sin(obliqueRad)];
    for (let col = 0; col < 3; col++) {
      const [y, z] = [m[1]![col]!, m[2]![col]!];
      m[1]![col] = cs * y - sn * z;
      m[2]![col] = sn * y + cs * z;
    }
  }
  // Put the centre of the grid at the world origin.
  const centre = shape.map((n) => (n - 1) / 2);
  const affine: Affine = [0, 1, 2].map((r) => [m[r]![0]!, m[r]![1]!, m[r]![2]!, -(m[r]![0]! * centre[0]! + m[r]![1]! * centre[1]! + m[r]![2]! * centre[2]!)]);
  affine.push([0, 0, 0, 1]);
  return { shape, spacing: [...spacing] as [number, number, number], affine, orientation };
}

/** A grid with a spacing and orientation drawn from the lists above; one in four is slightly oblique. */
export function randomGrid(rng: Rng, fovMm: number): SynthGrid {
  const spacing = SYNTH_SPACINGS[rng.int(0, SYNTH_SPACINGS.length)]!;
  const orientation = SYNTH_ORIENTATIONS[rng.int(0, SYNTH_ORIENTATIONS.length)]!;
  const oblique = rng.bernoulli(0.25) ? rng.uniformIn(-0.2, 0.2) : 0;
  return makeGrid(fovMm, spacing, orientation, oblique);
}
