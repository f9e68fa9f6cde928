import type { SamplingGrid } from './sampling-grid.js';
import { mirrorIndex } from './sampling-grid.js';

/**
 * Evaluates the cubic B-spline with coefficients `coeffs` at every point of `grid`: scipy.ndimage
 * `map_coordinates(order=3, mode='constant', cval)` after prefiltering. A point outside [0, len - 1] on any
 * axis gets `cval`; taps beyond the edge of the input mirror back into it. Weights are computed once per
 * output voxel and shared by all channels; interior voxels (the vast majority) read their 4×4×4 taps
 * without any index mapping.
 * @param coeffs - [C, X, Y, Z] spline coefficients (see `splinePrefilter3d`).
 * @param inDims - (X, Y, Z) of `coeffs`.
 * @param channels - C.
 * @param out - [C, size] output, float32.
 */
export function interpolateCubic(
  coeffs: Float32Array,
  inDims: readonly [number, number, number],
  channels: number,
  grid: SamplingGrid,
  cval: number,
  out: Float32Array,
): void {
  const [X, Y, Z] = inDims;
  const [PX, PY, PZ] = grid.size;
  const sy = Z;
  const sx = Y * Z;
  const chanIn = X * Y * Z;
  const chanOut = PX * PY * PZ;
  const r = grid.rotation;
  const r6 = r[6]!, r7 = r[7]!, r8 = r[8]!;
  const sc = grid.scale;
  const [cx, cy, cz] = grid.center;
  const hx = (PX - 1) / 2;
  const hy = (PY - 1) / 2;
  const hz = (PZ - 1) / 2;
  // Edge voxels: per-axis weights and mirrored tap offsets.
  const w = new Float64Array(12);
  const off = new Int32Array(12);
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
        const u = (p0 + ck * r6) * sc + cx;
        const v = (p1 + ck * r7) * sc + cy;
        const t = (p2 + ck * r8) * sc + cz;
        if (!(u >= 0 && u <= X - 1 && v >= 0 && v <= Y - 1 && t >= 0 && t <= Z - 1)) {
          for (let c = 0; c < channels; c++) out[c * chanOut + o] = cval;
          continue;
        }
        const fu = Math.floor(u);
        const fv = Math.floor(v);
        const ft = Math.floor(t);
        // scipy's get_spline_interpolation_weights(order 3), same operation order.
        let a = u - fu, b = 1 - a;
        const wx1 = (a * a * (a - 2) * 3 + 4) / 6, wx2 = (b * b * (b - 2) * 3 + 4) / 6, wx0 = (b * b * b) / 6;
        const wx3 = 1 - wx0 - wx1 - wx2;
        a = v - fv; b = 1 - a;
        const wy1 = (a * a * (a - 2) * 3 + 4) / 6, wy2 = (b * b * (b - 2) * 3 + 4) / 6, wy0 = (b * b * b) / 6;
        const wy3 = 1 - wy0 - wy1 - wy2;
        a = t - ft; b = 1 - a;
        const wz1 = (a * a * (a - 2) * 3 + 4) / 6, wz2 = (b * b * (b - 2) * 3 + 4) / 6, wz0 = (b * b * b) / 6;
        const wz3 = 1 - wz0 - wz1 - wz2;
        if (fu >= 1 && fu + 2 < X && fv >= 1 && fv + 2 < Y && ft >= 1 && ft + 2 < Z) {
          const start = (fu - 1) * sx + (fv - 1) * sy + (ft - 1);
          for (let c = 0; c < channels; c++) {
            const p = c * chanIn + start;
            out[c * chanOut + o] =
              wx0 * plane(coeffs, p, sy, wy0, wy1, wy2, wy3, wz0, wz1, wz2, wz3) +
              wx1 * plane(coeffs, p + sx, sy, wy0, wy1, wy2, wy3, wz0, wz1, wz2, wz3) +
              wx2 * plane(coeffs, p + 2 * sx, sy, wy0, wy1, wy2, wy3, wz0, wz1, wz2, wz3) +
              wx3 * plane(coeffs, p + 3 * sx, sy, wy0, wy1, wy2, wy3, wz0, wz1, wz2, wz3);
          }
          continue;
        }
        w[0] = wx0; w[1] = wx1; w[2] = wx2; w[3] = wx3;
        w[4] = wy0; w[5] = wy1; w[6] = wy2; w[7] = wy3;
        w[8] = wz0; w[9] = wz1; w[10] = wz2; w[11] = wz3;
        for (let l = 0; l < 4; l++) {
          off[l] = mirrorIndex(fu - 1 + l, X) * sx;
          off[4 + l] = mirrorIndex(fv - 1 + l, Y) * sy;
          off[8 + l] = mirrorIndex(ft - 1 + l, Z);
        }
        for (let c = 0; c < channels; c++) {
          const base = c * chanIn;
          let acc = 0;
          for (let ia = 0; ia < 4; ia++) {
            let accA = 0;
            for (let ib = 0; ib < 4; ib++) {
              const q = base + off[ia]! + off[4 + ib]!;
              accA += w[4 + ib]! * (w[8]! * coeffs[q + off[8]!]! + w[9]! * coeffs[q + off[9]!]! + w[10]! * coeffs[q + off[10]!]! + w[11]! * coeffs[q + off[11]!]!);
            }
            acc += w[ia]! * accA;
          }
          out[c * chanOut + o] = acc;
        }
      }
    }
  }
}

/** The 4×4 taps of one x-plane: Σ_b wy_b Σ_c wz_c coeffs[p + b·sy + c]. */
function plane(
  c: Float32Array, p: number, sy: number,
  wy0: number, wy1: number, wy2: number, wy3: number,
  wz0: number, wz1: number, wz2: number, wz3: number,
): number {
  const p1 = p + sy, p2 = p1 + sy, p3 = p2 + sy;
  return (
    wy0 * (wz0 * c[p]! + wz1 * c[p + 1]! + wz2 * c[p + 2]! + wz3 * c[p + 3]!) +
    wy1 * (wz0 * c[p1]! + wz1 * c[p1 + 1]! + wz2 * c[p1 + 2]! + wz3 * c[p1 + 3]!) +
    wy2 * (wz0 * c[p2]! + wz1 * c[p2 + 1]! + wz2 * c[p2 + 2]! + wz3 * c[p2 + 3]!) +
    wy3 * (wz0 * c[p3]! + wz1 * c[p3 + 1]! + wz2 * c[p3 + 2]! + wz3 * c[p3 + 3]!)
  );
}
