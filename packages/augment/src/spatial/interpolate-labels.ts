import type { LabelArray } from '../types.js';
import type { SamplingGrid } from './sampling-grid.js';
import { mirrorIndex } from './sampling-grid.js';

/**
 * Resamples a label volume at every point of `grid` the way batchgenerators' `interpolate_img(is_seg=True,
 * order=1)` does: each label's indicator is interpolated linearly (scipy `map_coordinates(order=1,
 * mode='constant')`) and a voxel takes the largest label whose interpolated indicator is >= 0.5, else 0.
 * Labels stay integer and no label appears that was not in the input. Points outside [0, len - 1] on any
 * axis get `fill` (batchgenerators yields 0 there for any negative border value, e.g. nnssl's -1).
 * @param labels - [C, X, Y, Z] integer labels.
 * @param out - [C, size] output of the same element type.
 */
export function interpolateLabels(
  labels: LabelArray,
  inDims: readonly [number, number, number],
  channels: number,
  grid: SamplingGrid,
  fill: number,
  out: LabelArray,
): void {
  const [X, Y, Z] = inDims;
  const [PX, PY, PZ] = grid.size;
  const chanIn = X * Y * Z;
  const chanOut = PX * PY * PZ;
  const r = grid.rotation;
  const sc = grid.scale;
  const [cx, cy, cz] = grid.center;
  const hx = (PX - 1) / 2;
  const hy = (PY - 1) / 2;
  const hz = (PZ - 1) / 2;
  const cornerLabel = new Float64Array(8);
  const cornerWeight = new Float64Array(8);
  let o = 0;
  for (let i = 0; i < PX; i++) {
    const ci = i - hx;
    for (let j = 0; j < PY; j++) {
      const cj = j - hy;
      const p0 = ci * r[0]! + cj * r[3]!;
      const p1 = ci * r[1]! + cj * r[4]!;
      const p2 = ci * r[2]! + cj * r[5]!;
      for (let k = 0; k < PZ; k++, o++) {
        const ck = k - hz;
        const u = (p0 + ck * r[6]!) * sc + cx;
        const v = (p1 + ck * r[7]!) * sc + cy;
        const w = (p2 + ck * r[8]!) * sc + cz;
        if (!(u >= 0 && u <= X - 1 && v >= 0 && v <= Y - 1 && w >= 0 && w <= Z - 1)) {
          for (let c = 0; c < channels; c++) out[c * chanOut + o] = fill;
          continue;
        }
        // scipy's order-1 weights: w0 = 1 - t, w1 = 1 - w0 (not t), so ties at 0.5 resolve identically.
        const fu = Math.floor(u), fv = Math.floor(v), fw = Math.floor(w);
        const ax0 = 1 - (u - fu), ay0 = 1 - (v - fv), az0 = 1 - (w - fw);
        const ax1 = 1 - ax0, ay1 = 1 - ay0, az1 = 1 - az0;
        const x0 = fu * Y * Z, x1 = (fu + 1 < X ? fu + 1 : mirrorIndex(fu + 1, X)) * Y * Z;
        const y0 = fv * Z, y1 = (fv + 1 < Y ? fv + 1 : mirrorIndex(fv + 1, Y)) * Z;
        const z0 = fw, z1 = fw + 1 < Z ? fw + 1 : mirrorIndex(fw + 1, Z);
        for (let c = 0; c < channels; c++) {
          const base = c * chanIn;
          // Corner order (x, y, z) with z fastest, as scipy sums them.
          const l0 = labels[base + x0 + y0 + z0]!, l1 = labels[base + x0 + y0 + z1]!;
          const l2 = labels[base + x0 + y1 + z0]!, l3 = labels[base + x0 + y1 + z1]!;
          const l4 = labels[base + x1 + y0 + z0]!, l5 = labels[base + x1 + y0 + z1]!;
          const l6 = labels[base + x1 + y1 + z0]!, l7 = labels[base + x1 + y1 + z1]!;
          if (l0 === l1 && l0 === l2 && l0 === l3 && l0 === l4 && l0 === l5 && l0 === l6 && l0 === l7) {
            out[c * chanOut + o] = l0;
            continue;
          }
          cornerLabel[0] = l0; cornerLabel[1] = l1; cornerLabel[2] = l2; cornerLabel[3] = l3;
          cornerLabel[4] = l4; cornerLabel[5] = l5; cornerLabel[6] = l6; cornerLabel[7] = l7;
          cornerWeight[0] = ax0 * ay0 * az0; cornerWeight[1] = ax0 * ay0 * az1;
          cornerWeight[2] = ax0 * ay1 * az0; cornerWeight[3] = ax0 * ay1 * az1;
          cornerWeight[4] = ax1 * ay0 * az0; cornerWeight[5] = ax1 * ay0 * az1;
          cornerWeight[6] = ax1 * ay1 * az0; cornerWeight[7] = ax1 * ay1 * az1;
          out[c * chanOut + o] = winningLabel(cornerLabel, cornerWeight);
        }
      }
    }
  }
}

/** The largest label whose corner weights sum (in corner order) to >= 0.5; 0 when none does. */
function winningLabel(labels: Float64Array, weights: Float64Array): number {
  let best = 0;
  let found = false;
  for (let m = 0; m < 8; m++) {
    const label = labels[m]!;
    if (found && label <= best) continue;
    let sum = 0;
    for (let n = 0; n < 8; n++) if (labels[n] === label) sum += weights[n]!;
    if (sum >= 0.5) {
      best = label;
      found = true;
    }
  }
  return best;
}
