/** The pole of the cubic B-spline interpolation filter, sqrt(3) - 2. */
const POLE = Math.sqrt(3) - 2;
/** Gain of one 1-D cubic prefilter pass, (1 - z)(1 - 1/z) = 6. */
export const SPLINE_GAIN = (1 - POLE) * (1 - 1 / POLE);
/** Beyond this many terms z^i is below 1e-18 and no longer changes a float64 sum. */
const HORIZON = Math.ceil(Math.log(1e-18) / Math.log(-POLE));

/** Storage the recursive filter runs on. */
export type SplineStorage = Float32Array | Float64Array;

/**
 * Cubic B-spline coefficients of one (X, Y, Z) channel, so that cubic B-spline interpolation of them passes
 * through the samples: scipy.ndimage `spline_filter(order=3)` with the mirror boundary that scipy uses for
 * modes 'constant', 'nearest' and 'mirror'. Separable. To touch memory as little as possible, each X slab
 * is copied, filtered along Z (per line, in float64) and along Y (vectorised over Z) while it is in cache;
 * the X pass then streams over whole Y·Z rows.
 * @param src - voxels of the channel start at `srcOffset`, row-major (X, Y, Z).
 * @param out - X*Y*Z coefficients (float32 storage; arithmetic in float64).
 */
export function splinePrefilter3d(src: Float32Array, srcOffset: number, dims: readonly [number, number, number], out: Float32Array): void {
  const [X, Y, Z] = dims;
  // All three passes' gains are folded into the copy.
  const g = (X > 1 ? SPLINE_GAIN : 1) * (Y > 1 ? SPLINE_GAIN : 1) * (Z > 1 ? SPLINE_GAIN : 1);
  const line = new Float64Array(Z);
  const acc = new Float64Array(Math.max(Z, Y * Z));
  const slab = Y * Z;
  for (let x = 0; x < X; x++) {
    const base = x * slab;
    for (let y = 0; y < Y; y++) {
      const row = base + y * Z;
      for (let z = 0; z < Z; z++) line[z] = src[srcOffset + row + z]! * g;
      filterBlock(line, 0, Z, 1, acc);
      for (let z = 0; z < Z; z++) out[row + z] = line[z]!;
    }
    filterBlock(out, base, Y, Z, acc);
  }
  filterBlock(out, 0, X, slab, acc);
}

/**
 * Cubic B-spline coefficients of one float64 line of length n, in place (gain, mirror boundary): scipy's
 * `spline_filter1d(order=3)`.
 */
export function prefilterLine(l: Float64Array, n: number): void {
  if (n < 2) return;
  for (let i = 0; i < n; i++) l[i] = l[i]! * SPLINE_GAIN;
  filterBlock(l, 0, n, 1, new Float64Array(1));
}

/**
 * One causal + anti-causal recursion along n lines of `inner` interleaved values starting at `base`
 * (element (i, j) at base + i·inner + j), in place, gain not included; vectorised over j so it streams.
 * @param acc - scratch of at least `inner` float64 values.
 */
export function filterBlock(c: SplineStorage, base: number, n: number, inner: number, acc: Float64Array): void {
  if (n < 2) return;
  const z = POLE;
  const zn1 = Math.pow(z, n - 1);
  // Short lines need the exact mirror sum (including the wrapped-around terms); long ones converge.
  const exact = n - 1 <= HORIZON;
  const terms = exact ? n - 2 : HORIZON;
  const last = base + (n - 1) * inner;
  for (let j = 0; j < inner; j++) acc[j] = c[base + j]! + (exact ? zn1 * c[last + j]! : 0);
  let zi = z;
  for (let i = 1; i <= terms; i++) {
    const row = base + i * inner;
    const mirrorRow = base + (n - 1 - i) * inner;
    if (exact) {
      for (let j = 0; j < inner; j++) acc[j] = acc[j]! + zi * (c[row + j]! + zn1 * c[mirrorRow + j]!);
    } else {
      for (let j = 0; j < inner; j++) acc[j] = acc[j]! + zi * c[row + j]!;
    }
    zi *= z;
  }
  const norm = 1 / (1 - zn1 * zn1);
  if (inner === 1) {
    // A single contiguous line: scalar recursion.
    let prev = acc[0]! * norm;
    c[base] = prev;
    for (let i = 1; i < n; i++) {
      prev = c[base + i]! + z * prev;
      c[base + i] = prev;
    }
    let next = (z * c[base + n - 2]! + c[base + n - 1]!) * (z / (z * z - 1));
    c[base + n - 1] = next;
    for (let i = n - 2; i >= 0; i--) {
      next = z * (next - c[base + i]!);
      c[base + i] = next;
    }
    return;
  }
  for (let j = 0; j < inner; j++) c[base + j] = acc[j]! * norm;
  for (let i = 1; i < n; i++) {
    const row = base + i * inner;
    const prev = row - inner;
    for (let j = 0; j < inner; j++) c[row + j] = c[row + j]! + z * c[prev + j]!;
  }
  const k = z / (z * z - 1);
  for (let j = 0; j < inner; j++) c[last + j] = (z * c[last - inner + j]! + c[last + j]!) * k;
  for (let i = n - 2; i >= 0; i--) {
    const row = base + i * inner;
    const next = row + inner;
    for (let j = 0; j < inner; j++) c[row + j] = z * (c[next + j]! - c[row + j]!);
  }
}
