import type { Rng } from '@openmind-ssl/core';

/** Tissue labels of the phantom. */
export const Tissue = {
  Background: 0,
  Scalp: 1,
  Skull: 2,
  Csf: 3,
  GreyMatter: 4,
  WhiteMatter: 5,
  Ventricle: 6,
  Lesion: 7,
} as const;
export type TissueLabel = (typeof Tissue)[keyof typeof Tissue];

/** Labels that lie inside the skull (what brain extraction keeps). */
export function isBrain(label: number): boolean {
  return label >= Tissue.Csf;
}

interface Ellipsoid {
  /** Centre in head coordinates (mm). */
  c: [number, number, number];
  /** Semi-axes (mm). */
  r: [number, number, number];
}

/** The anatomy of one synthetic head, in millimetres, in head coordinates (RAS, centred on the head). */
export interface HeadAnatomy {
  /** Head centre in world coordinates. */
  centre: [number, number, number];
  /** Head tilt about the left-right axis (radians). */
  pitch: number;
  /** Outer surface of the head (skin). */
  head: Ellipsoid;
  /** Nose-and-jaw block in front of and below the head: what defacing removes. */
  face: Ellipsoid;
  scalpMm: number;
  skullMm: number;
  csfMm: number;
  greyMm: number;
  /** Amplitude and spatial frequency of the grey/white boundary folding. */
  foldAmplitude: number;
  foldFrequency: number;
  foldPhase: [number, number, number];
  ventricles: Ellipsoid[];
  lesions: Ellipsoid[];
}

/** Options of {@link randomAnatomy}. */
export interface AnatomyOptions {
  /** Field of view the head must fit in (mm). */
  fovMm: number;
  /** Number of white-matter lesions. */
  lesions: number;
  /** Lesion radius range as a fraction of the field of view. Default [0.035, 0.07]. */
  lesionSize?: readonly [number, number];
}

/**
 * Draws a head: size, shape, tilt, layer thicknesses, cortical folding, ventricle size (from small to
 * atrophic) and lesions in the white matter all vary with the generator.
 */
export function randomAnatomy(rng: Rng, options: AnatomyOptions): HeadAnatomy {
  const f = options.fovMm;
  const v = (x: number, spread = 0.07) => x * rng.uniformIn(1 - spread, 1 + spread);
  const head: Ellipsoid = { c: [0, 0, 0], r: [v(0.34 * f), v(0.41 * f), v(0.36 * f)] };
  const [a, b, c] = head.r;
  const ventScale = rng.uniformIn(0.7, 1.6);
  const vent = (side: number): Ellipsoid => ({
    c: [side * v(0.06 * a, 0.2), v(0.02 * b, 0.5), v(0.1 * c, 0.3)],
    r: [0.07 * a * ventScale, 0.32 * b * Math.sqrt(ventScale), 0.13 * c * ventScale],
  });
  const lesions: Ellipsoid[] = [];
  for (let i = 0; i < options.lesions; i++) {
    // Periventricular / deep white matter: inside 55% of the head radius, above the ventricles' floor.
    const dir = [rng.normal(), rng.normal(), Math.abs(rng.normal()) * 0.7];
    const n = Math.hypot(dir[0]!, dir[1]!, dir[2]!) || 1;
    const rad = rng.uniformIn(0.25, 0.5);
    const size = rng.uniformIn(options.lesionSize?.[0] ?? 0.035, options.lesionSize?.[1] ?? 0.07) * f;
    lesions.push({
      c: [(dir[0]! / n) * rad * a, (dir[1]! / n) * rad * b, (dir[2]! / n) * rad * c],
      r: [size * rng.uniformIn(0.7, 1.3), size * rng.uniformIn(0.7, 1.3), size * rng.uniformIn(0.7, 1.3)],
    });
  }
  return {
    centre: [rng.uniformIn(-0.03, 0.03) * f, rng.uniformIn(-0.03, 0.03) * f, rng.uniformIn(-0.03, 0.03) * f],
    pitch: rng.uniformIn(-0.15, 0.15),
    head,
    face: { c: [0, 0.85 * b, -0.55 * c], r: [0.42 * a, 0.3 * b, 0.42 * c] },
    scalpMm: v(0.035 * f, 0.15),
    skullMm: v(0.04 * f, 0.15),
    csfMm: v(0.025 * f, 0.25),
    greyMm: v(0.08 * f, 0.15),
    foldAmplitude: rng.uniformIn(0.25, 0.45),
    foldFrequency: rng.uniformIn(0.18, 0.26) * (64 / f),
    foldPhase: [rng.uniformIn(0, 6.283), rng.uniformIn(0, 6.283), rng.uniformIn(0, 6.283)],
    ventricles: [vent(-1), vent(1)],
    lesions,
  };
}

function rho(e: Ellipsoid, x: number, y: number, z: number): number {
  return Math.hypot((x - e.c[0]) / e.r[0], (y - e.c[1]) / e.r[1], (z - e.c[2]) / e.r[2]);
}

/** World (mm) → head coordinates: translate to the centre and undo the tilt. */
export function toHead(h: HeadAnatomy, wx: number, wy: number, wz: number): [number, number, number] {
  const x = wx - h.centre[0];
  const y = wy - h.centre[1];
  const z = wz - h.centre[2];
  const cs = Math.cos(h.pitch);
  const sn = Math.sin(h.pitch);
  return [x, cs * y + sn * z, -sn * y + cs * z];
}

/** Whether a head-coordinate point lies in the face region that defacing removes. */
export function inFaceRegion(h: HeadAnatomy, _x: number, y: number, z: number): boolean {
  // The cut plane runs in front of the forehead and below the eyes, at 45° (as defacing tools cut).
  return y / h.head.r[1] - z / h.head.r[2] > 1.2;
}

/** The tissue at a world position. */
export function tissueAt(h: HeadAnatomy, wx: number, wy: number, wz: number): TissueLabel {
  const [x, y, z] = toHead(h, wx, wy, wz);
  const r = rho(h.head, x, y, z);
  if (r >= 1) return rho(h.face, x, y, z) < 1 ? Tissue.Scalp : Tissue.Background;
  // Depth below the skin, approximated from the normalised radius.
  const meanR = (h.head.r[0] + h.head.r[1] + h.head.r[2]) / 3;
  let depth = (1 - r) * meanR;
  if (depth < h.scalpMm) return Tissue.Scalp;
  depth -= h.scalpMm;
  if (depth < h.skullMm) return Tissue.Skull;
  depth -= h.skullMm;
  if (depth < h.csfMm) return Tissue.Csf;
  depth -= h.csfMm;
  for (const l of h.lesions) if (rho(l, x, y, z) < 1) return Tissue.Lesion;
  for (const vent of h.ventricles) if (rho(vent, x, y, z) < 1) return Tissue.Ventricle;
  const k = h.foldFrequency;
  const fold = Math.sin(k * x + h.foldPhase[0]) * Math.sin(k * y + h.foldPhase[1]) * Math.sin(k * z + h.foldPhase[2]);
  return depth < h.greyMm * (1 + h.foldAmplitude * fold) ? Tissue.GreyMatter : Tissue.WhiteMatter;
}
