import type { NiftiHeader } from './header.js';

/** A 4×4 affine, row-major: `affine[row][col]`; maps voxel indices (i, j, k, 1) to RAS+ millimetres. */
export type Affine = number[][];

/** Where an affine came from, in nibabel's order of preference. */
export type AffineSource = 'sform' | 'qform' | 'base';

const F32_EPS = 2 ** -23;
const F64_EPS = 2 ** -52;

export function identityAffine(): Affine {
  return [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ];
}

/** Matrix product a·b of two 4×4 affines. */
export function multiplyAffine(a: Affine, b: Affine): Affine {
  const out = identityAffine();
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[r]![k]! * b[k]![c]!;
      out[r]![c] = s;
    }
  }
  return out;
}

/** Voxel spacing along each array axis: the length of each of the first three affine columns. */
export function affineZooms(affine: Affine): [number, number, number] {
  const z = [0, 1, 2].map((c) => Math.hypot(affine[0]![c]!, affine[1]![c]!, affine[2]![c]!));
  return [z[0]!, z[1]!, z[2]!];
}

/** The sform matrix (srow_x/y/z) as an affine. */
export function sformAffine(h: NiftiHeader): Affine {
  return [[...h.srowX], [...h.srowY], [...h.srowZ], [0, 0, 0, 1]];
}

/**
 * The qform (quaternion + pixdim + offsets) as an affine, computed as nibabel does: `a` is recovered from
 * b, c, d assuming a unit quaternion, and qfac (pixdim[0]) flips the third axis.
 * @throws Error when b²+c²+d² exceeds 1 by more than the header precision allows.
 */
export function qformAffine(h: NiftiHeader): Affine {
  const b = h.quaternB;
  const c = h.quaternC;
  const d = h.quaternD;
  const w2 = 1 - (b * b + c * c + d * d);
  // Stored values are rounded to the header precision, so a slightly negative w² means a = 0.
  const threshold = -3 * (h.version === 1 ? F32_EPS : F64_EPS);
  if (w2 < threshold) throw new Error(`qform quaternion is not a unit quaternion (b²+c²+d² = ${1 - w2})`);
  const a = w2 < 0 ? 0 : Math.sqrt(w2);
  const r = quaternionToMatrix(a, b, c, d);
  const qfac = h.pixdim[0] === -1 ? -1 : 1;
  const vox = [h.pixdim[1]!, h.pixdim[2]!, h.pixdim[3]! * qfac];
  const out = identityAffine();
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out[i]![j] = r[i]![j]! * vox[j]!;
  }
  out[0]![3] = h.qoffsetX;
  out[1]![3] = h.qoffsetY;
  out[2]![3] = h.qoffsetZ;
  return out;
}

/**
 * The fallback affine of a header with neither qform nor sform (nibabel's `get_base_affine`): spacing on
 * the diagonal, x flipped (radiological convention of Analyze), origin at the centre of the volume.
 */
export function baseAffine(shape: readonly number[], spacing: readonly number[]): Affine {
  const s = [0, 1, 2].map((i) => shape[i] ?? 1);
  const z = [0, 1, 2].map((i) => spacing[i] ?? 1);
  z[0] = -z[0]!;
  const out = identityAffine();
  for (let i = 0; i < 3; i++) {
    out[i]![i] = z[i]!;
    out[i]![3] = (-(s[i]! - 1) / 2) * z[i]!;
  }
  return out;
}

/**
 * The affine nibabel would report (`img.affine`): the sform if sform_code > 0, else the qform if
 * qform_code > 0, else the base affine. Note that this prefers the sform; the NIfTI standard and ITK
 * prefer the qform when both are set.
 */
export function bestAffine(h: NiftiHeader, shape: readonly number[], spacing: readonly number[]): { affine: Affine; source: AffineSource } {
  if (h.sformCode > 0) return { affine: sformAffine(h), source: 'sform' };
  if (h.qformCode > 0) return { affine: qformAffine(h), source: 'qform' };
  return { affine: baseAffine(shape, spacing), source: 'base' };
}

/** Rotation matrix of the unit quaternion (a, b, c, d). */
export function quaternionToMatrix(a: number, b: number, c: number, d: number): number[][] {
  const n = a * a + b * b + c * c + d * d;
  if (n < F64_EPS) return [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const s = 2 / n;
  const [x, y, z] = [b * s, c * s, d * s];
  const [wx, wy, wz] = [a * x, a * y, a * z];
  const [xx, xy, xz] = [b * x, b * y, b * z];
  const [yy, yz, zz] = [c * y, c * z, d * z];
  return [
    [1 - (yy + zz), xy - wz, xz + wy],
    [xy + wz, 1 - (xx + zz), yz - wx],
    [xz - wy, yz + wx, 1 - (xx + yy)],
  ];
}

/** The qform fields that represent an affine as closely as a rotation, zooms and qfac can. */
export interface QformParams {
  quaternB: number;
  quaternC: number;
  quaternD: number;
  qfac: 1 | -1;
  zooms: [number, number, number];
  offset: [number, number, number];
}

/**
 * Decomposes an affine into qform parameters: zooms are the column norms, the rotation is the orthogonal
 * matrix nearest to the normalised columns (polar decomposition, which drops any shear), and a
 * left-handed matrix is made right-handed by flipping the third axis (qfac = -1).
 */
export function affineToQform(affine: Affine): QformParams {
  const zooms = affineZooms(affine);
  const m = [0, 1, 2].map((r) => [0, 1, 2].map((c) => affine[r]![c]! / (zooms[c] || 1)));
  const rot = nearestOrthogonal(m);
  let qfac: 1 | -1 = 1;
  if (det3(rot) < 0) {
    qfac = -1;
    for (let r = 0; r < 3; r++) rot[r]![2] = -rot[r]![2]!;
  }
  let [a, b, c, d] = matrixToQuaternion(rot);
  if (a < 0) [a, b, c, d] = [-a, -b, -c, -d];
  return {
    quaternB: b,
    quaternC: c,
    quaternD: d,
    qfac,
    zooms,
    offset: [affine[0]![3]!, affine[1]![3]!, affine[2]![3]!],
  };
}

export function det3(m: number[][]): number {
  const [r0, r1, r2] = [m[0]!, m[1]!, m[2]!];
  return (
    r0[0]! * (r1[1]! * r2[2]! - r1[2]! * r2[1]!) -
    r0[1]! * (r1[0]! * r2[2]! - r1[2]! * r2[0]!) +
    r0[2]! * (r1[0]! * r2[1]! - r1[1]! * r2[0]!)
  );
}

function inverseTranspose3(m: number[][]): number[][] | undefined {
  const det = det3(m);
  if (Math.abs(det) < 1e-12) return undefined;
  const c = (r: number, k: number) => m[r]![k]!;
  // Cofactor matrix divided by the determinant is the inverse transpose.
  return [
    [(c(1, 1) * c(2, 2) - c(1, 2) * c(2, 1)) / det, -(c(1, 0) * c(2, 2) - c(1, 2) * c(2, 0)) / det, (c(1, 0) * c(2, 1) - c(1, 1) * c(2, 0)) / det],
    [-(c(0, 1) * c(2, 2) - c(0, 2) * c(2, 1)) / det, (c(0, 0) * c(2, 2) - c(0, 2) * c(2, 0)) / det, -(c(0, 0) * c(2, 1) - c(0, 1) * c(2, 0)) / det],
    [(c(0, 1) * c(1, 2) - c(0, 2) * c(1, 1)) / det, -(c(0, 0) * c(1, 2) - c(0, 2) * c(1, 0)) / det, (c(0, 0) * c(1, 1) - c(0, 1) * c(1, 0)) / det],
  ];
}

/**
 * The orthogonal factor of the polar decomposition (what nibabel gets from an SVD as P·Qᵀ), by Newton's
 * iteration X ← (X + X⁻ᵀ)/2, which converges quadratically for a non-singular matrix.
 */
export function nearestOrthogonal(m: number[][]): number[][] {
  let x = m.map((row) => [...row]);
  for (let iter = 0; iter < 100; iter++) {
    const it = inverseTranspose3(x);
    if (!it) return x;
    let delta = 0;
    const next = x.map((row, r) => row.map((v, c) => {
      const n = 0.5 * (v + it[r]![c]!);
      delta = Math.max(delta, Math.abs(n - v));
      return n;
    }));
    x = next;
    if (delta < 1e-15) break;
  }
  return x;
}

/** Unit quaternion (a, b, c, d) of a rotation matrix (Shepperd's method: pivot on the largest term). */
export function matrixToQuaternion(m: number[][]): [number, number, number, number] {
  const [m00, m01, m02] = [m[0]![0]!, m[0]![1]!, m[0]![2]!];
  const [m10, m11, m12] = [m[1]![0]!, m[1]![1]!, m[1]![2]!];
  const [m20, m21, m22] = [m[2]![0]!, m[2]![1]!, m[2]![2]!];
  const trace = m00 + m11 + m22;
  let a: number;
  let b: number;
  let c: number;
  let d: number;
  if (trace > 0) {
    const s = 2 * Math.sqrt(trace + 1);
    a = s / 4;
    b = (m21 - m12) / s;
    c = (m02 - m20) / s;
    d = (m10 - m01) / s;
  } else if (m00 > m11 && m00 > m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    a = (m21 - m12) / s;
    b = s / 4;
    c = (m01 + m10) / s;
    d = (m02 + m20) / s;
  } else if (m11 > m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    a = (m02 - m20) / s;
    b = (m01 + m10) / s;
    c = s / 4;
    d = (m12 + m21) / s;
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
    a = (m10 - m01) / s;
    b = (m02 + m20) / s;
    c = (m12 + m21) / s;
    d = s / 4;
  }
  const n = Math.hypot(a, b, c, d);
  return [a / n, b / n, c / n, d / n];
}

/** Inverse of a 4×4 affine whose last row is [0, 0, 0, 1]. */
export function invertAffine(m: Affine): Affine {
  const r = [0, 1, 2].map((i) => [0, 1, 2].map((j) => m[i]![j]!));
  const it = inverseTranspose3(r);
  if (!it) throw new RangeError('invertAffine: the 3×3 part of the affine must be invertible, but its determinant is 0.');
  const out = identityAffine();
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out[i]![j] = it[j]![i]!;
  for (let i = 0; i < 3; i++) {
    out[i]![3] = -(out[i]![0]! * m[0]![3]! + out[i]![1]! * m[1]![3]! + out[i]![2]! * m[2]![3]!);
  }
  return out;
}
