import type { Affine } from './affine.js';
import { nearestOrthogonal } from './affine.js';

/** For one array axis: the world axis it runs along (0 = R/L, 1 = A/P, 2 = S/I) and its direction. */
export interface AxisOrientation {
  worldAxis: 0 | 1 | 2;
  /** +1 when increasing the index moves towards R, A or S; -1 towards L, P or I. */
  sign: 1 | -1;
}

const LETTERS: readonly (readonly [string, string])[] = [
  ['R', 'L'],
  ['A', 'P'],
  ['S', 'I'],
];

/**
 * The world axis closest to each of the three spatial array axes (nibabel's `io_orientation`): the
 * affine's columns are normalised, the nearest rotation is taken (polar decomposition), and axes are
 * matched greedily in array-axis order.
 * @param affine 4×4 voxel-to-RAS affine
 * @returns three entries, or null for an axis with no direction (a degenerate affine)
 */
export function axisOrientations(affine: Affine): (AxisOrientation | null)[] {
  const cols = [0, 1, 2].map((c) => [affine[0]![c]!, affine[1]![c]!, affine[2]![c]!]);
  const zooms = cols.map((col) => Math.hypot(col[0]!, col[1]!, col[2]!) || 1);
  const rs = [0, 1, 2].map((r) => [0, 1, 2].map((c) => cols[c]![r]! / zooms[c]!));
  const rot = nearestOrthogonal(rs);
  const out: (AxisOrientation | null)[] = [];
  for (let inAx = 0; inAx < 3; inAx++) {
    const col = [rot[0]![inAx]!, rot[1]![inAx]!, rot[2]![inAx]!];
    if (col.every((v) => Math.abs(v) <= 1e-8)) {
      out.push(null);
      continue;
    }
    let best = 0;
    for (let r = 1; r < 3; r++) if (Math.abs(col[r]!) > Math.abs(col[best]!)) best = r;
    out.push({ worldAxis: best as 0 | 1 | 2, sign: col[best]! < 0 ? -1 : 1 });
    // A world axis is used once; clearing its row lets ties resolve in array-axis order.
    for (let c = 0; c < 3; c++) rot[best]![c] = 0;
  }
  return out;
}

/**
 * The three-letter orientation code of an affine (nibabel's `aff2axcodes`): the letter each array axis
 * points towards, e.g. 'RAS' for the canonical orientation and 'LPS' for DICOM/ITK's. An axis without a
 * direction is written '?'.
 */
export function orientationCode(affine: Affine): string {
  return axisOrientations(affine)
    .map((o) => (o ? LETTERS[o.worldAxis]![o.sign === 1 ? 0 : 1] : '?'))
    .join('');
}
